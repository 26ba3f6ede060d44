using System.Net.Http.Headers;
using k8s.Authentication;

namespace Flotilla.Kube.Clients;

/// <summary>
/// The bearer token of a pod's service account, read from its file again whenever the file changes: the kubelet
/// replaces a projected token well before it expires, and a token Secret can be re-issued, so a token read once
/// would stop working. Checking the file's time and size costs one <c>stat</c> per request.
/// </summary>
public sealed class ServiceAccountTokenFile(string path) : ITokenProvider
{
    private readonly object _gate = new();
    private (DateTime Written, long Length, string Token)? _current;

    /// <summary>The token file this provider reads.</summary>
    public string Path { get; } = path;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AuthenticationHeaderValue("Bearer", Token()));

    /// <summary>The current token, read from the file when its write time or size differs from the last read.</summary>
    public string Token()
    {
        var file = new FileInfo(Path);
        if (!file.Exists) throw new InvalidOperationException($"the service account token file {Path} is missing");
        lock (_gate)
        {
            if (_current is { } c && c.Written == file.LastWriteTimeUtc && c.Length == file.Length) return c.Token;
            var token = File.ReadAllText(Path).Trim();
            if (token.Length == 0) throw new InvalidOperationException($"the service account token file {Path} is empty");
            _current = (file.LastWriteTimeUtc, file.Length, token);
            return token;
        }
    }
}
