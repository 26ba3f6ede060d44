using System.Collections.Concurrent;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>Every bundle's current <see cref="BundleTarget"/>, by bundle key (in memory; rebuilt by the bundle reconciles).</summary>
public sealed class BundleTargets
{
    private readonly ConcurrentDictionary<string, BundleTarget> _targets = new(StringComparer.Ordinal);

    public BundleTarget? Get(string bundleKey) => _targets.GetValueOrDefault(bundleKey);

    /// <summary>Stores <paramref name="target"/> and returns the one it replaced.</summary>
    public BundleTarget? Set(BundleTarget target)
    {
        BundleTarget? previous = null;
        _targets.AddOrUpdate(target.BundleKey, target, (_, old) => { previous = old; return target; });
        return previous;
    }

    public void Remove(string bundleKey) => _targets.TryRemove(bundleKey, out _);

    /// <summary>How many bundles other than <paramref name="bundleKey"/> each cluster holds (for the LeastBundles prioritizer).</summary>
    public IReadOnlyDictionary<string, int> CountsExcept(string bundleKey)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var target in _targets.Values)
        {
            if (target.BundleKey == bundleKey) continue;
            foreach (var (cluster, intent) in target.Clusters)
                if (intent == ClusterIntent.Sync) counts[cluster] = counts.GetValueOrDefault(cluster) + 1;
        }
        return counts;
    }

    /// <summary>The (bundle, cluster) keys that involve <paramref name="cluster"/>.</summary>
    public IEnumerable<string> KeysFor(string cluster) =>
        _targets.Values.Where(t => t.Clusters.ContainsKey(cluster)).Select(t => ClusterSyncKey.Of(t.BundleKey, cluster));
}
