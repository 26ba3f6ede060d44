using Flotilla.Core.Charts;
using Flotilla.Git.Charts;
using Flotilla.Git.Render;
using Flotilla.Git.Tests.Render;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Git.Tests.Charts;

/// <summary>
/// A chart repository built with the pinned helm (<c>helm package</c>, <c>helm repo index</c>) and served over TLS with
/// Basic auth by a real nginx: the index is read, a range picks the highest version and then a newer one after the
/// index changes, the tarball is checked against the index digest (a tampered one is refused and never unpacked), the
/// unpacked chart renders, and wrong credentials or an unknown CA fail by kind.
/// </summary>
public sealed class HelmRepositoryClientTests : IAsyncLifetime
{
    private const string User = "charts";
    private readonly string _password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    private readonly string _served = Directory.CreateTempSubdirectory("flotilla-chart-repo-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("flotilla-chart-cache-").FullName;
    private readonly LocalCertificateAuthority _ca = LocalCertificateAuthority.Create("flotilla-test-charts-ca");
    private NginxStaticServer _server = null!;

    private HelmRepositoryCredentials Credentials => new(User, _password, CaPem: _ca.CertificatePem);

    private HelmRepositoryClient Client() => new(new HelmRepositoryOptions { CacheDirectory = _cache });

    public async Task InitializeAsync()
    {
        await PackageAsync(Path.Combine(TestCharts.Root, "nginx"));
        await PackageAsync(WebChart("1.0.0"));
        await IndexAsync();
        _server = await NginxStaticServer.StartAsync(_served, User, _password, _ca);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        Directory.Delete(_served, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task A_range_resolves_to_the_newest_chart_and_to_a_newer_one_after_the_index_changes()
    {
        var client = Client();
        var (index, digest) = await client.FetchIndexAsync(_server.Url, Credentials, CancellationToken.None);
        var first = index.Resolve("web", ">=1.0.0 <2.0.0", out var problem);
        Assert.Null(problem);
        Assert.Equal("1.0.0", first!.Version.ToString());

        await PackageAsync(WebChart("1.1.0"));
        await PackageAsync(WebChart("2.0.0"));
        await IndexAsync();
        var (changed, changedDigest) = await client.FetchIndexAsync(_server.Url, Credentials, CancellationToken.None);

        Assert.NotEqual(digest, changedDigest);
        Assert.Equal("1.1.0", changed.Resolve("web", ">=1.0.0 <2.0.0", out _)!.Version.ToString());
        Assert.Equal("2.0.0", changed.Resolve("web", "", out _)!.Version.ToString());
        Assert.Null(changed.Resolve("web", "3.x", out var none));
        Assert.StartsWith("no version of chart \"web\" matches \"3.x\"", none);
    }

    [Fact]
    public async Task The_fetched_real_chart_is_verified_cached_by_digest_and_renders()
    {
        var client = Client();
        var (index, _) = await client.FetchIndexAsync(_server.Url, Credentials, CancellationToken.None);
        var entry = index.Resolve("nginx", "9.3.6", out _)!;

        var chart = await client.FetchChartAsync(_server.Url, entry, Credentials, CancellationToken.None);
        File.Delete(Path.Combine(_served, "nginx-9.3.6.tgz")); // a second fetch of the same digest reads nothing
        var again = await client.FetchChartAsync(_server.Url, entry, Credentials, CancellationToken.None);

        Assert.Equal(chart, again);
        Assert.Equal(Path.Combine(_cache, "sha256", entry.Digest, "nginx"), chart);
        var rendered = await new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default)
            .RenderAsync(Path.GetDirectoryName(chart)!, new ChartRenderRequest("nginx", "web", "shop", "{}", "v1.20.2", ["v1", "apps/v1"]), CancellationToken.None);
        Assert.True(rendered.Succeeded, string.Join("; ", rendered.Errors));
        Assert.Contains(rendered.Manifests.Manifests, m => m.Ref.Kind == "Deployment");
    }

    [Fact]
    public async Task A_tampered_tarball_is_refused_by_digest_and_never_unpacked()
    {
        var client = Client();
        var (index, _) = await client.FetchIndexAsync(_server.Url, Credentials, CancellationToken.None);
        var entry = index.Resolve("web", "1.0.0", out _)!;
        // Same name, same version, different content: what a compromised mirror would serve.
        var original = Path.Combine(_served, "web-1.0.0.tgz");
        File.Move(original, original + ".orig");
        var tampered = WebChart("1.0.0", extra: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: injected}\n");
        await PackageAsync(tampered);

        var refused = await Assert.ThrowsAsync<HelmRepositoryException>(() => client.FetchChartAsync(_server.Url, entry, Credentials, CancellationToken.None));

        Assert.Equal(HelmRepositoryFailure.DigestMismatch, refused.Kind);
        Assert.Contains($"is not the index's {entry.Digest}", refused.Message);
        var cached = Path.Combine(_cache, "sha256");
        Assert.True(!Directory.Exists(cached) || Directory.GetFileSystemEntries(cached).Length == 0, "something of the tampered chart was unpacked");
    }

    [Fact]
    public async Task Wrong_credentials_and_an_unknown_ca_fail_by_kind_without_the_password()
    {
        var client = Client();

        var unauthorized = await Assert.ThrowsAsync<HelmRepositoryException>(() =>
            client.FetchIndexAsync(_server.Url, Credentials with { Password = "wrong-" + _password }, CancellationToken.None));
        var untrusted = await Assert.ThrowsAsync<HelmRepositoryException>(() =>
            client.FetchIndexAsync(_server.Url, Credentials with { CaPem = null }, CancellationToken.None));
        using var otherCa = LocalCertificateAuthority.Create("someone-else");
        var wrongCa = await Assert.ThrowsAsync<HelmRepositoryException>(() =>
            client.FetchIndexAsync(_server.Url, Credentials with { CaPem = otherCa.CertificatePem }, CancellationToken.None));

        Assert.Equal(HelmRepositoryFailure.Unauthorized, unauthorized.Kind);
        Assert.Equal(HelmRepositoryFailure.Unreachable, untrusted.Kind);
        Assert.Equal(HelmRepositoryFailure.Unreachable, wrongCa.Kind);
        Assert.All(new[] { unauthorized, untrusted, wrongCa }, e => Assert.DoesNotContain(_password, e.Message));
        Assert.DoesNotContain(_password, Credentials.ToString());
    }

    [Fact]
    public async Task Only_https_is_accepted()
    {
        var refused = await Assert.ThrowsAsync<HelmRepositoryException>(() =>
            Client().FetchIndexAsync(new Uri($"http://127.0.0.1:{_server.Port}/charts/"), Credentials, CancellationToken.None));

        Assert.Equal(HelmRepositoryFailure.Refused, refused.Kind);
    }

    private static string WebChart(string version, string extra = "") => TestChartRepository.WebChart(version, extra);

    private Task PackageAsync(string chart) => TestChartRepository.PackageAsync(chart, _served);

    private Task IndexAsync() => TestChartRepository.IndexAsync(_served);
}
