using System.Net.Http.Headers;
using k8s.Authentication;

namespace Flotilla.Kube.Clients;

/// <summary>
/// The bearer token of a pod's service account, read from its file for every request: the kubelet replaces a
/// projected token well before it expires and a token Secret can be re-issued, so a token kept in memory would stop
/// working. A read of a small file costs microseconds beside the request it authenticates, and unlike a check of
/// the file's time it cannot miss a replacement made within the file system's timestamp granularity.
/// </summary>
public sealed class ServiceAccountTokenFile(string path) : ITokenProvider
{
    /// <summary>The token file this provider reads.</summary>
    public string Path { get; } = path;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AuthenticationHeaderValue("Bearer", Token()));

    /// <summary>The token the file holds now.</summary>
    public string Token()
    {
        string token;
        try
        {
            token = File.ReadAllText(Path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"the service account token file {Path} is missing", e);
        }
        return token.Length > 0 ? token : throw new InvalidOperationException($"the service account token file {Path} is empty");
    }
}
