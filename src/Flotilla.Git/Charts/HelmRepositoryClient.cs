using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Core.Charts;
using Flotilla.Git.Render;

namespace Flotilla.Git.Charts;

/// <summary>
/// Reads a chart repository over https: its <c>index.yaml</c> (size-capped, read by the safe YAML reader) and chart
/// tarballs, each checked against the index's sha256 before anything is unpacked, then unpacked once into a directory
/// named by that digest (a second fetch of the same digest reads nothing). Credentials go only to the repository's own
/// host; a tarball entry that is a link or leaves its directory refuses the whole chart.
/// </summary>
public sealed class HelmRepositoryClient(HelmRepositoryOptions options)
{
    private readonly SafeYamlReader _reader = new(RenderLimits.Default with { MaxFileBytes = options.MaxIndexBytes, MaxTotalBytes = options.MaxIndexBytes });

    /// <summary>The repository's index and the sha256 of its text (what changed since the last fetch).</summary>
    public async Task<(ChartIndex Index, string Digest)> FetchIndexAsync(Uri repository, HelmRepositoryCredentials credentials, CancellationToken ct)
    {
        var url = new Uri(WithSlash(repository), "index.yaml");
        var bytes = await GetAsync(url, repository, credentials, options.MaxIndexBytes, ct);
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw new HelmRepositoryException(HelmRepositoryFailure.InvalidIndex, $"{url}: not UTF-8 text"); }
        var read = _reader.Read(text, "index.yaml");
        if (read.Errors.Count > 0) throw new HelmRepositoryException(HelmRepositoryFailure.InvalidIndex, $"{url}: {read.Errors[0]}");
        var index = read.Objects.Count > 0 ? ChartIndex.From(read.Objects[0].Body) : null;
        return index is null
            ? throw new HelmRepositoryException(HelmRepositoryFailure.InvalidIndex, $"{url}: not a chart repository index (no entries)")
            : (index, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The unpacked chart directory of <paramref name="entry"/>, fetched and verified unless already in the cache.</summary>
    public async Task<string> FetchChartAsync(Uri repository, ChartIndexEntry entry, HelmRepositoryCredentials credentials, CancellationToken ct)
    {
        var target = Path.Combine(options.CacheDirectory, "sha256", entry.Digest);
        if (Directory.Exists(target)) return ChartDirectory(target, entry);
        var url = new Uri(WithSlash(repository), entry.Urls[0]);
        var tarball = await GetAsync(url, repository, credentials, options.MaxChartBytes, ct);
        var digest = Convert.ToHexStringLower(SHA256.HashData(tarball));
        if (digest != entry.Digest)
            throw new HelmRepositoryException(HelmRepositoryFailure.DigestMismatch, $"{url}: sha256 {digest} is not the index's {entry.Digest}: refused");
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            await UnpackAsync(tarball, staging, url, ct);
            try { Directory.Move(staging, target); }
            catch (IOException) when (Directory.Exists(target)) { } // another fetch of the same digest got there first
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }

        return ChartDirectory(target, entry);
    }

    /// <summary>
    /// The unpacked directory of chart <paramref name="name"/> fetched earlier with sha256 <paramref name="digest"/>, or
    /// null when the cache does not hold it: how a rollout finds a chart version the index no longer resolves to. Both
    /// may come from a status, so they are checked before they name a path.
    /// </summary>
    public string? CachedChart(string name, string digest)
    {
        if (digest is not { Length: 64 } || !digest.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return null;
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0) return null;
        var chart = Path.Combine(options.CacheDirectory, "sha256", digest, name);
        return File.Exists(Path.Combine(chart, "Chart.yaml")) ? chart : null;
    }

    private static string ChartDirectory(string unpacked, ChartIndexEntry entry)
    {
        var chart = Path.Combine(unpacked, entry.Name);
        return File.Exists(Path.Combine(chart, "Chart.yaml")) ? chart
            : throw new HelmRepositoryException(HelmRepositoryFailure.InvalidIndex, $"chart {entry.Name} {entry.Version}: the tarball has no {entry.Name}/Chart.yaml");
    }

    private async Task UnpackAsync(byte[] tarball, string directory, Uri url, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var total = 0L;
        await using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes) continue;
            var path = Path.GetFullPath(Path.Combine(directory, entry.Name));
            if (!path.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.Name))
                throw new HelmRepositoryException(HelmRepositoryFailure.Refused, $"{url}: entry \"{entry.Name}\" leaves the chart directory: refused");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    total += entry.Length;
                    if (total > options.MaxChartBytes)
                        throw new HelmRepositoryException(HelmRepositoryFailure.Refused, $"{url}: unpacks to more than {options.MaxChartBytes} bytes: refused");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await using (var file = File.Create(path))
                    {
                        if (entry.DataStream is { } data) await data.CopyToAsync(file, ct);
                    }

                    break;
                default:
                    throw new HelmRepositoryException(HelmRepositoryFailure.Refused, $"{url}: entry \"{entry.Name}\" is a {entry.EntryType}, not a file: refused");
            }
        }
    }

    private async Task<byte[]> GetAsync(Uri url, Uri repository, HelmRepositoryCredentials credentials, long maxBytes, CancellationToken ct)
    {
        if (url.Scheme != Uri.UriSchemeHttps) throw new HelmRepositoryException(HelmRepositoryFailure.Refused, $"{Shown(url)}: only https is accepted");
        using var handler = Handler(credentials.CaPem);
        using var client = new HttpClient(handler) { Timeout = options.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // Credentials go to the repository's own host only, never to a chart URL elsewhere.
        if (string.Equals(url.Authority, repository.Authority, StringComparison.OrdinalIgnoreCase))
        {
            if (credentials.BearerToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            else if (credentials.Username is { } user)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{credentials.Password}")));
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new HelmRepositoryException(HelmRepositoryFailure.Unauthorized, $"{Shown(url)}: {(int)response.StatusCode} {response.StatusCode} (check the Secret's credentials)");
            if (response.StatusCode == HttpStatusCode.NotFound) throw new HelmRepositoryException(HelmRepositoryFailure.NotFound, $"{Shown(url)}: 404 Not Found");
            if (!response.IsSuccessStatusCode) throw new HelmRepositoryException(HelmRepositoryFailure.Unreachable, $"{Shown(url)}: {(int)response.StatusCode} {response.StatusCode}");
            if (response.Content.Headers.ContentLength > maxBytes) throw TooLarge(url, maxBytes);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(url, maxBytes);
                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new HelmRepositoryException(HelmRepositoryFailure.Unreachable, $"{Shown(url)}: {(e is TaskCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0}s" : e.Message)}");
        }
    }

    private static HelmRepositoryException TooLarge(Uri url, long maxBytes) =>
        new(HelmRepositoryFailure.Refused, $"{Shown(url)}: larger than {maxBytes} bytes: refused");

    /// <summary>Only the CA of <paramref name="caPem"/> is trusted when it is given; the system's roots otherwise. Verification is never off.</summary>
    private static HttpClientHandler Handler(string? caPem)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        if (caPem is null) return handler;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(caPem);
        handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
        return handler;
    }

    private static Uri WithSlash(Uri repository) =>
        repository.AbsoluteUri.EndsWith('/') ? repository : new Uri(repository.AbsoluteUri + "/");

    // User info in a URL would be a credential: never shown.
    private static string Shown(Uri url) => string.IsNullOrEmpty(url.UserInfo) ? url.AbsoluteUri : url.AbsoluteUri.Replace(url.UserInfo + "@", "***@", StringComparison.Ordinal);
}
