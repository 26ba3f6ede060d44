using System.Collections.Concurrent;
using Flotilla.Core.Placement;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Every bundle's current <see cref="BundleTarget"/>, by bundle key (in memory; rebuilt by the bundle reconciles), and how
/// many bundles each cluster holds, kept as targets change so a placement does not count every bundle's clusters.
/// </summary>
public sealed class BundleTargets
{
    private static readonly IReadOnlySet<string> NoClusters = new HashSet<string>();

    private readonly ConcurrentDictionary<string, BundleTarget> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlySet<string>> _synced = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private BundleCountTable _counts = BundleCountTable.Create();

    public BundleTarget? Get(string bundleKey) => _targets.GetValueOrDefault(bundleKey);

    /// <summary>Stores <paramref name="target"/> and returns the one it replaced.</summary>
    public BundleTarget? Set(BundleTarget target)
    {
        lock (_lock)
        {
            var previous = _targets.GetValueOrDefault(target.BundleKey);
            _targets[target.BundleKey] = target;
            var was = _synced.GetValueOrDefault(target.BundleKey) ?? NoClusters;
            var now = target.Clusters.Where(c => c.Value == ClusterIntent.Sync).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            // The same clusters keep the same set instance: a placement memo compares it by reference.
            if (now.SetEquals(was)) return previous;
            _counts = _counts.Add([.. was.Except(now)], -1).Add([.. now.Except(was)], +1);
            _synced[target.BundleKey] = now;
            return previous;
        }
    }

    public void Remove(string bundleKey)
    {
        lock (_lock)
        {
            _targets.TryRemove(bundleKey, out _);
            if (_synced.Remove(bundleKey, out var was)) _counts = _counts.Add([.. was], -1);
        }
    }

    /// <summary>The clusters the bundle's target syncs: one instance for as long as they stay the same.</summary>
    public IReadOnlySet<string> Synced(string bundleKey)
    {
        lock (_lock) return _synced.GetValueOrDefault(bundleKey) ?? NoClusters;
    }

    /// <summary>How many bundles other than <paramref name="bundleKey"/> each cluster holds (for the LeastBundles prioritizer), without a copy.</summary>
    public OtherBundleCounts CountsExcept(string bundleKey)
    {
        lock (_lock) return new(_counts, _synced.GetValueOrDefault(bundleKey) ?? NoClusters);
    }

    /// <summary>The (bundle, cluster) keys that involve <paramref name="cluster"/>.</summary>
    public IEnumerable<string> KeysFor(string cluster) =>
        _targets.Values.Where(t => t.Clusters.ContainsKey(cluster)).Select(t => ClusterSyncKey.Of(t.BundleKey, cluster));
}
