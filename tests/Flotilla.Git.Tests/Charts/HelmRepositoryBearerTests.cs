using System.Security.Cryptography;
using System.Text;
using Flotilla.Git.Charts;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Git.Tests.Charts;

/// <summary>
/// A chart repository behind a real nginx that answers 401 to anything but <c>Authorization: Bearer TOKEN</c>: the
/// Secret's <c>token</c> key becomes the bearer credential, the right token fetches the index and a verified chart, and
/// a wrong or missing token fails as Unauthorized naming HTTP 401, never printing a token; a chart URL on another host
/// is fetched without the token.
/// </summary>
public sealed class HelmRepositoryBearerTests : IAsyncLifetime
{
    private readonly string _token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly string _served = Directory.CreateTempSubdirectory("flotilla-chart-repo-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("flotilla-chart-cache-").FullName;
    private readonly LocalCertificateAuthority _ca = LocalCertificateAuthority.Create("flotilla-test-charts-bearer-ca");
    private NginxStaticServer _server = null!;

    private HelmRepositoryClient Client() => new(new HelmRepositoryOptions { CacheDirectory = _cache });

    /// <summary>What the reconciler builds from the HelmRepository's Secret.</summary>
    private HelmRepositoryCredentials FromSecret(string? token) => HelmRepositoryCredentials.FromSecret(new Dictionary<string, byte[]>
    {
        ["ca.crt"] = Encoding.UTF8.GetBytes(_ca.CertificatePem),
    }.Concat(token is null ? [] : [new("token", Encoding.UTF8.GetBytes(token))]).ToDictionary());

    public async Task InitializeAsync()
    {
        await TestChartRepository.PackageAsync(TestChartRepository.WebChart("1.0.0"), _served);
        await TestChartRepository.IndexAsync(_served);
        _server = await NginxStaticServer.StartWithBearerAsync(_served, _token, _ca);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        Directory.Delete(_served, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task The_secrets_token_fetches_the_index_and_a_verified_chart()
    {
        var credentials = FromSecret(_token);
        var client = Client();

        var (index, _) = await client.FetchIndexAsync(_server.Url, credentials, CancellationToken.None);
        var entry = index.Resolve("web", "1.0.0", out var problem);
        Assert.Null(problem);
        var chart = await client.FetchChartAsync(_server.Url, entry!, credentials, CancellationToken.None);

        Assert.Equal(_token, credentials.BearerToken);
        Assert.Equal(Path.Combine(_cache, "sha256", entry!.Digest, "web"), chart);
        Assert.Contains("version: \"1.0.0\"", await File.ReadAllTextAsync(Path.Combine(chart, "templates", "cm.yaml")));
    }

    [Fact]
    public async Task A_token_wins_over_basic_auth_in_the_same_secret()
    {
        var credentials = HelmRepositoryCredentials.FromSecret(new Dictionary<string, byte[]>
        {
            ["username"] = "reader"u8.ToArray(), ["password"] = "not-the-token"u8.ToArray(),
            ["token"] = Encoding.UTF8.GetBytes(_token), ["ca.crt"] = Encoding.UTF8.GetBytes(_ca.CertificatePem),
        });

        var (index, _) = await Client().FetchIndexAsync(_server.Url, credentials, CancellationToken.None);

        Assert.NotNull(index.Resolve("web", "1.0.0", out _));
    }

    [Fact]
    public async Task The_token_is_not_sent_to_a_chart_url_on_another_host()
    {
        // The same chart behind another server (another port: another authority) that accepts the same token, and an
        // index that points there. Were the token sent along, the chart would be fetched.
        var elsewhere = Directory.CreateTempSubdirectory("flotilla-chart-elsewhere-").FullName;
        try
        {
            File.Copy(Path.Combine(_served, "web-1.0.0.tgz"), Path.Combine(elsewhere, "web-1.0.0.tgz"));
            await using var other = await NginxStaticServer.StartWithBearerAsync(elsewhere, _token, _ca);
            var indexFile = Path.Combine(_served, "index.yaml");
            var index = await File.ReadAllTextAsync(indexFile);
            Assert.Contains("- web-1.0.0.tgz\n", index);
            await File.WriteAllTextAsync(indexFile, index.Replace("- web-1.0.0.tgz\n", $"- {other.Url}web-1.0.0.tgz\n"));
            var client = Client();
            var (read, _) = await client.FetchIndexAsync(_server.Url, FromSecret(_token), CancellationToken.None);
            var entry = read.Resolve("web", "1.0.0", out _)!;
            Assert.Equal($"{other.Url}web-1.0.0.tgz", entry.Urls[0]);

            var refused = await Assert.ThrowsAsync<HelmRepositoryException>(() => client.FetchChartAsync(_server.Url, entry, FromSecret(_token), CancellationToken.None));

            Assert.Equal(HelmRepositoryFailure.Unauthorized, refused.Kind);
            Assert.StartsWith($"{other.Url}web-1.0.0.tgz: 401 Unauthorized", refused.Message);
            Assert.DoesNotContain(_token, refused.Message);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_or_missing_token_fails_as_unauthorized_naming_401_without_a_token()
    {
        var wrongToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var client = Client();

        var wrong = await Assert.ThrowsAsync<HelmRepositoryException>(() => client.FetchIndexAsync(_server.Url, FromSecret(wrongToken), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<HelmRepositoryException>(() => client.FetchIndexAsync(_server.Url, FromSecret(null), CancellationToken.None));

        Assert.All(new[] { wrong, missing }, e =>
        {
            Assert.Equal(HelmRepositoryFailure.Unauthorized, e.Kind);
            Assert.Contains("401 Unauthorized", e.Message);
            Assert.Contains(_server.Url.AbsoluteUri, e.Message);
            Assert.DoesNotContain(_token, e.Message);
            Assert.DoesNotContain(wrongToken, e.Message);
        });
        Assert.DoesNotContain(wrongToken, FromSecret(wrongToken).ToString());
        Assert.Contains("bearer: True", FromSecret(wrongToken).ToString());
    }
}
