namespace Flotilla.Git.Sources;

/// <summary>
/// Credentials for one Git source. <see cref="ToString"/> shows the kind and the user name only, never a
/// token or key, so a spec can be logged. SSH always needs known_hosts text: host keys are checked strictly.
/// </summary>
public sealed record GitCredentials
{
    private GitCredentials(GitCredentialKind kind, string? username, string? token, string? privateKey, string? knownHosts)
    {
        Kind = kind;
        Username = username;
        Token = token;
        PrivateKey = privateKey;
        KnownHosts = knownHosts;
    }

    /// <summary>No credentials.</summary>
    public static GitCredentials None { get; } = new(GitCredentialKind.None, null, null, null, null);

    public GitCredentialKind Kind { get; }

    /// <summary>For <see cref="GitCredentialKind.HttpsToken"/>: the Basic-auth user name (default <c>git</c>).</summary>
    public string? Username { get; }

    /// <summary>For <see cref="GitCredentialKind.HttpsToken"/>: the token (secret).</summary>
    public string? Token { get; }

    /// <summary>For <see cref="GitCredentialKind.Ssh"/>: the OpenSSH private key without passphrase (secret), or null to offer no key.</summary>
    public string? PrivateKey { get; }

    /// <summary>For <see cref="GitCredentialKind.Ssh"/>: known_hosts lines; a non-standard port is written <c>[host]:port</c>.</summary>
    public string? KnownHosts { get; }

    /// <summary>An https token; <paramref name="username"/> defaults to <c>git</c> (GitHub and GitLab accept any).</summary>
    public static GitCredentials HttpsToken(string token, string username = "git")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        if (username.Contains(':') || token.Any(char.IsControl) || username.Any(char.IsControl))
        {
            throw new ArgumentException("an https user name cannot contain ':' and neither it nor the token may contain control characters");
        }

        return new(GitCredentialKind.HttpsToken, username, token, null, null);
    }

    /// <summary>SSH: <paramref name="knownHosts"/> is required; <paramref name="privateKey"/> may be null (no key offered).</summary>
    public static GitCredentials Ssh(string knownHosts, string? privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(knownHosts);
        if (privateKey is not null && string.IsNullOrWhiteSpace(privateKey))
        {
            throw new ArgumentException("an ssh private key, when given, cannot be empty", nameof(privateKey));
        }

        return new(GitCredentialKind.Ssh, null, null, privateKey, knownHosts);
    }

    public override string ToString() => Kind switch
    {
        GitCredentialKind.None => "none",
        GitCredentialKind.HttpsToken => $"https token (user {Username})",
        GitCredentialKind.Ssh => PrivateKey is null ? "ssh (no key)" : "ssh key",
    };
}
