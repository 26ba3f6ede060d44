using Flotilla.Controllers.Charts;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Charts;

public sealed class CapabilityCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly ClusterResource _cluster = new() { Metadata = new V1ObjectMeta { Name = "a" } };
    private string _served = "v1,apps/v1";
    private int _discoveries;
    private int _fingerprints;

    private CapabilityCache Cache() => new(
        (_, _) =>
        {
            _discoveries++;
            return Task.FromResult(new ClusterCapabilities("v1.20.2", _served.Split(',')) { Fingerprint = _served });
        },
        (_, _) =>
        {
            _fingerprints++;
            return Task.FromResult(_served);
        },
        _clock);

    [Fact]
    public async Task Discovers_once_then_rechecks_the_fingerprint_and_rediscovers_only_when_it_changed()
    {
        var cache = Cache();

        await cache.GetAsync(_cluster, CancellationToken.None);
        await cache.GetAsync(_cluster, CancellationToken.None);
        Assert.Equal((1, 0), (_discoveries, _fingerprints));

        _clock.Advance(TimeSpan.FromSeconds(31));
        await cache.GetAsync(_cluster, CancellationToken.None);
        Assert.Equal((1, 1), (_discoveries, _fingerprints));

        _served = "v1,apps/v1,example.com/v1"; // a CRD was installed
        _clock.Advance(TimeSpan.FromSeconds(31));
        var seen = await cache.GetAsync(_cluster, CancellationToken.None);
        Assert.Equal((2, 2), (_discoveries, _fingerprints));
        Assert.Contains("example.com/v1", seen.ApiVersions);
    }

    [Fact]
    public async Task A_failed_discovery_is_asked_again()
    {
        var attempts = 0;
        var cache = new CapabilityCache((_, _) => ++attempts == 1 ? Task.FromException<ClusterCapabilities>(new HttpRequestException("down")) : Task.FromResult(new ClusterCapabilities("v1.20.2", ["v1"])),
            (_, _) => Task.FromResult(""), _clock);

        await Assert.ThrowsAsync<HttpRequestException>(() => cache.GetAsync(_cluster, CancellationToken.None));
        var second = await cache.GetAsync(_cluster, CancellationToken.None);

        Assert.Equal("v1.20.2", second.KubeVersion);
        Assert.Equal(2, attempts);
    }
}
