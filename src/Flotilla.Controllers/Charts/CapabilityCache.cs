using System.Collections.Concurrent;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// Each member's <see cref="ClusterCapabilities"/> for chart rendering. Discovered once, then re-checked when older
/// than <paramref name="maxAge"/> (default 30 s) with a cheap fingerprint (server version and served group versions,
/// three requests): only when it changed — a CRD or an aggregated API came or went, the cluster was upgraded — is
/// the full discovery (one request per group version) done again. A failed discovery is not kept. Concurrent callers
/// for one cluster share one discovery.
/// </summary>
public sealed class CapabilityCache(
    Func<ClusterResource, CancellationToken, Task<ClusterCapabilities>> discover,
    Func<ClusterResource, CancellationToken, Task<string>> fingerprint,
    TimeProvider clock,
    TimeSpan? maxAge = null)
{
    private readonly TimeSpan _maxAge = maxAge ?? TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (DateTimeOffset CheckedAt, Lazy<Task<ClusterCapabilities>> Capabilities)> _entries = new(StringComparer.Ordinal);

    /// <summary>The capabilities of <paramref name="cluster"/>.</summary>
    public async Task<ClusterCapabilities> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(name, out var entry) && entry.Capabilities.Value is { IsCompletedSuccessfully: true } known)
        {
            if (now - entry.CheckedAt < _maxAge) return known.Result;
            if (await fingerprint(cluster, ct) == known.Result.Fingerprint)
            {
                _entries[name] = (now, entry.Capabilities);
                return known.Result;
            }
        }
        else if (entry.Capabilities is { } pending && !pending.Value.IsCompleted)
        {
            return await pending.Value.WaitAsync(ct);
        }

        var fresh = new Lazy<Task<ClusterCapabilities>>(() => discover(cluster, CancellationToken.None));
        _entries[name] = (now, fresh);
        return await fresh.Value.WaitAsync(ct);
    }

    /// <summary>Forgets a cluster that was removed.</summary>
    public void Forget(string cluster) => _entries.TryRemove(cluster, out _);
}
