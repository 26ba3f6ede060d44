using System.Collections.Concurrent;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// The latest result of every (bundle, cluster) pair, in memory, for the status aggregator. A cluster whose objects
/// were removed (it left the placement, or the bundle is being deleted) is marked removed until the bundle is gone.
/// </summary>
public sealed class SyncResults
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (SyncResult Result, DateTimeOffset At)>> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _removed = new(StringComparer.Ordinal);

    public void Set(string bundleKey, string cluster, SyncResult result, DateTimeOffset at)
    {
        _results.GetOrAdd(bundleKey, _ => new(StringComparer.Ordinal))[cluster] = (result, at);
        Removed(bundleKey).TryRemove(cluster, out _);
    }

    /// <summary>Records that <paramref name="cluster"/> holds nothing of the bundle any more.</summary>
    public void MarkRemoved(string bundleKey, string cluster)
    {
        if (_results.TryGetValue(bundleKey, out var clusters)) clusters.TryRemove(cluster, out _);
        Removed(bundleKey)[cluster] = true;
    }

    public IReadOnlyDictionary<string, (SyncResult Result, DateTimeOffset At)> Of(string bundleKey) =>
        _results.TryGetValue(bundleKey, out var clusters) ? new Dictionary<string, (SyncResult, DateTimeOffset)>(clusters, StringComparer.Ordinal) : new Dictionary<string, (SyncResult, DateTimeOffset)>();

    public bool IsRemoved(string bundleKey, string cluster) => _removed.TryGetValue(bundleKey, out var set) && set.ContainsKey(cluster);

    /// <summary>Forgets a bundle that is gone.</summary>
    public void Forget(string bundleKey)
    {
        _results.TryRemove(bundleKey, out _);
        _removed.TryRemove(bundleKey, out _);
    }

    private ConcurrentDictionary<string, bool> Removed(string bundleKey) => _removed.GetOrAdd(bundleKey, _ => new(StringComparer.Ordinal));
}
