using System.Collections.Concurrent;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// The latest result of every (bundle, cluster) pair, in memory, for the status aggregator. A cluster whose objects
/// were removed (it left the placement, or the bundle is being deleted) is marked removed until the bundle is gone.
/// Each pair also keeps its <see cref="PairHistory"/> (since when its revision is applied and healthy) for rollouts.
/// </summary>
public sealed class SyncResults
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (SyncResult Result, DateTimeOffset At)>> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _removed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, PairHistory>> _histories = new(StringComparer.Ordinal);

    public void Set(string bundleKey, string cluster, SyncResult result, DateTimeOffset at)
    {
        _results.GetOrAdd(bundleKey, _ => new(StringComparer.Ordinal))[cluster] = (result, at);
        _histories.GetOrAdd(bundleKey, _ => new(StringComparer.Ordinal)).AddOrUpdate(cluster, _ => PairHistory.Next(null, result, at), (_, old) => PairHistory.Next(old, result, at));
        Removed(bundleKey).TryRemove(cluster, out _);
    }

    /// <summary>The pairs' histories of <paramref name="bundleKey"/>, by cluster.</summary>
    public IReadOnlyDictionary<string, PairHistory> HistoriesOf(string bundleKey) =>
        _histories.TryGetValue(bundleKey, out var clusters) ? new Dictionary<string, PairHistory>(clusters, StringComparer.Ordinal) : new Dictionary<string, PairHistory>();

    /// <summary>Records that <paramref name="cluster"/> holds nothing of the bundle any more.</summary>
    public void MarkRemoved(string bundleKey, string cluster)
    {
        if (_results.TryGetValue(bundleKey, out var clusters)) clusters.TryRemove(cluster, out _);
        if (_histories.TryGetValue(bundleKey, out var histories)) histories.TryRemove(cluster, out _);
        Removed(bundleKey)[cluster] = true;
    }

    public IReadOnlyDictionary<string, (SyncResult Result, DateTimeOffset At)> Of(string bundleKey) =>
        _results.TryGetValue(bundleKey, out var clusters) ? new Dictionary<string, (SyncResult, DateTimeOffset)>(clusters, StringComparer.Ordinal) : new Dictionary<string, (SyncResult, DateTimeOffset)>();

    /// <summary>The latest result of one pair, if any.</summary>
    public SyncResult? Get(string bundleKey, string cluster) =>
        _results.TryGetValue(bundleKey, out var clusters) && clusters.TryGetValue(cluster, out var entry) ? entry.Result : null;

    public bool IsRemoved(string bundleKey, string cluster) => _removed.TryGetValue(bundleKey, out var set) && set.ContainsKey(cluster);

    /// <summary>Forgets a bundle that is gone.</summary>
    public void Forget(string bundleKey)
    {
        _results.TryRemove(bundleKey, out _);
        _histories.TryRemove(bundleKey, out _);
        _removed.TryRemove(bundleKey, out _);
    }

    private ConcurrentDictionary<string, bool> Removed(string bundleKey) => _removed.GetOrAdd(bundleKey, _ => new(StringComparer.Ordinal));
}
