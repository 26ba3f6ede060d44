using System.Text.RegularExpressions;

namespace Flotilla.Git.Sources;

/// <summary>Reads a repository URL the way git does, far enough to decide its transport, and redacts it for messages.</summary>
public static partial class GitUrl
{
    /// <summary>
    /// The URL without user information for http(s) (<c>https://***@host/…</c>) and without a password for
    /// ssh, so it can appear in messages, conditions and logs. Other text is returned unchanged.
    /// </summary>
    public static string Redact(string url) =>
        UserInfo().Replace(url, match =>
        {
            var scheme = match.Groups["scheme"].Value;
            var user = match.Groups["user"].Value;
            var keepUser = scheme.StartsWith("ssh", StringComparison.OrdinalIgnoreCase) && !user.Contains(':');
            return $"{scheme}://{(keepUser ? user : "***")}@";
        });

    /// <summary>The transport of <paramref name="url"/>, or <see cref="GitFailureKind.InvalidUrl"/>.</summary>
    internal static GitTransport Classify(string url)
    {
        if (string.IsNullOrWhiteSpace(url) || url != url.Trim() || url.Any(char.IsControl))
        {
            throw Invalid(url, "it is empty or has surrounding space or control characters");
        }

        if (url.StartsWith('-'))
        {
            throw Invalid(url, "it starts with '-'");
        }

        if (RemoteHelper().IsMatch(url))
        {
            throw Invalid(url, "remote helpers (<transport>::<address>) are not supported");
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            var scheme = url[..schemeEnd].ToLowerInvariant();
            GitTransport? transport = scheme switch
            {
                "https" => GitTransport.Https,
                "http" => GitTransport.Http,
                "ssh" or "git+ssh" or "ssh+git" => GitTransport.Ssh,
                "file" => GitTransport.Local,
                _ => null,
            };
            if (transport is null)
            {
                throw Invalid(url, $"scheme '{scheme}' is not supported (use https, http, ssh or file)");
            }

            if (transport != GitTransport.Local
                && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Host.StartsWith('-') || uri.UserInfo.StartsWith('-')))
            {
                throw Invalid(url, "it has no valid host");
            }

            return transport.Value;
        }

        // scp-like syntax: a ':' before any '/' ("git@github.com:org/repo.git"); anything else is a local path.
        var colon = url.IndexOf(':');
        var slash = url.IndexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            var host = url[..colon];
            var at = host.LastIndexOf('@');
            host = host[(at + 1)..];
            if (host.Length == 0 || host.StartsWith('-') || colon == url.Length - 1)
            {
                throw Invalid(url, "it has no valid host or path");
            }

            return GitTransport.Ssh;
        }

        return GitTransport.Local;
    }

    private static GitFetchException Invalid(string url, string why) =>
        new(GitFailureKind.InvalidUrl, $"git source {Redact(url)}: invalid URL: {why}");

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<user>[^/\s]+)@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*::")]
    private static partial Regex RemoteHelper();
}
