using System.Collections.Concurrent;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Every bundle's current <see cref="BundleTarget"/>, by bundle key (in memory; rebuilt by the bundle reconciles), and how
/// many bundles each cluster holds, kept as targets change so a placement does not count every bundle's clusters.
/// </summary>
public sealed class BundleTargets
{
    private readonly ConcurrentDictionary<string, BundleTarget> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public BundleTarget? Get(string bundleKey) => _targets.GetValueOrDefault(bundleKey);

    /// <summary>Stores <paramref name="target"/> and returns the one it replaced.</summary>
    public BundleTarget? Set(BundleTarget target)
    {
        lock (_lock)
        {
            var previous = _targets.GetValueOrDefault(target.BundleKey);
            _targets[target.BundleKey] = target;
            Count(previous, -1);
            Count(target, +1);
            return previous;
        }
    }

    public void Remove(string bundleKey)
    {
        lock (_lock)
        {
            if (_targets.TryRemove(bundleKey, out var removed)) Count(removed, -1);
        }
    }

    /// <summary>How many bundles other than <paramref name="bundleKey"/> each cluster holds (for the LeastBundles prioritizer); a copy.</summary>
    public IReadOnlyDictionary<string, int> CountsExcept(string bundleKey)
    {
        lock (_lock)
        {
            var counts = new Dictionary<string, int>(_counts, StringComparer.Ordinal);
            foreach (var cluster in SyncedClusters(_targets.GetValueOrDefault(bundleKey)))
                if (--counts[cluster] == 0) counts.Remove(cluster);
            return counts;
        }
    }

    private void Count(BundleTarget? target, int delta)
    {
        foreach (var cluster in SyncedClusters(target))
        {
            var count = _counts.GetValueOrDefault(cluster) + delta;
            if (count == 0) _counts.Remove(cluster);
            else _counts[cluster] = count;
        }
    }

    private static IEnumerable<string> SyncedClusters(BundleTarget? target) =>
        target?.Clusters.Where(c => c.Value == ClusterIntent.Sync).Select(c => c.Key) ?? [];

    /// <summary>The (bundle, cluster) keys that involve <paramref name="cluster"/>.</summary>
    public IEnumerable<string> KeysFor(string cluster) =>
        _targets.Values.Where(t => t.Clusters.ContainsKey(cluster)).Select(t => ClusterSyncKey.Of(t.BundleKey, cluster));
}
