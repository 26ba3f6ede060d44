using System.Collections.Concurrent;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// Each member's <see cref="ClusterCapabilities"/> for chart rendering, asked once and kept for <paramref name="maxAge"/>
/// (default 10 minutes) or until the cluster reports another Kubernetes version. A failed discovery is not kept, so the
/// next reconcile asks again. Concurrent callers for one cluster share one request.
/// </summary>
public sealed class CapabilityCache(Func<ClusterResource, CancellationToken, Task<ClusterCapabilities>> discover, TimeProvider clock, TimeSpan? maxAge = null)
{
    private readonly TimeSpan _maxAge = maxAge ?? TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (string? Version, DateTimeOffset At, Lazy<Task<ClusterCapabilities>> Capabilities)> _entries = new(StringComparer.Ordinal);

    /// <summary>The capabilities of <paramref name="cluster"/>.</summary>
    public async Task<ClusterCapabilities> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var version = cluster.Status?.KubernetesVersion;
        var now = clock.GetUtcNow();
        var entry = _entries.AddOrUpdate(name, _ => Fresh(), (_, old) =>
            old.Version == version && now - old.At < _maxAge && !old.Capabilities.Value.IsFaulted && !old.Capabilities.Value.IsCanceled ? old : Fresh());
        return await entry.Capabilities.Value.WaitAsync(ct);

        (string?, DateTimeOffset, Lazy<Task<ClusterCapabilities>>) Fresh() =>
            (version, now, new Lazy<Task<ClusterCapabilities>>(() => discover(cluster, CancellationToken.None)));
    }

    /// <summary>Forgets a cluster that was removed.</summary>
    public void Forget(string cluster) => _entries.TryRemove(cluster, out _);
}
