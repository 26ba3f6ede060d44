using System.Collections.Concurrent;

namespace Flotilla.Core.Placement;

/// <summary>
/// Each bundle's last placement (a <see cref="PlacementSnapshot"/> and the input it was decided from), so that when a
/// cluster changes — and every bundle is reconciled — each bundle re-decides only the clusters that changed instead of
/// filtering and scoring the whole fleet again. The decision is always what <see cref="PlacementEngine.Decide(PlacementSpec, PlacementInput)"/>
/// would return: the snapshot takes its short path only where that is provably the same.
/// </summary>
public sealed class PlacementMemo
{
    private readonly ConcurrentDictionary<string, (long Generation, PlacementSnapshot Snapshot, PlacementInput Input)> _memo = new(StringComparer.Ordinal);

    /// <summary>The bundle's decision for <paramref name="input"/>; a new generation (a new spec) decides in full.</summary>
    public PlacementSnapshot Decide(string bundleKey, long generation, Func<PlacementSpec> spec, PlacementInput input)
    {
        var snapshot = _memo.TryGetValue(bundleKey, out var last) && last.Generation == generation
            ? last.Snapshot.Redecide(input, Changed(last.Input, input))
            : PlacementSnapshot.Take(spec(), input);
        _memo[bundleKey] = (generation, snapshot, input);
        return snapshot;
    }

    public void Forget(string bundleKey) => _memo.TryRemove(bundleKey, out _);

    /// <summary>
    /// The clusters whose input differs between two placements, as <see cref="PlacementSnapshot.Redecide"/> needs them named:
    /// facts that are not the same instance (the hub's directory of clusters replaces a cluster's instance only when it
    /// changes), a flip of whether the bundle is on a cluster (the same set instance: none), and a changed count of other
    /// bundles (views of one <see cref="BundleCountTable"/> over the same own set: the clusters the table moved). A fleet
    /// that gained or lost clusters is decided in full by the snapshot whatever is named.
    /// </summary>
    public static IReadOnlyCollection<string> Changed(PlacementInput before, PlacementInput after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (before.Clusters.Count != after.Clusters.Count) return changed;
        for (var i = 0; i < after.Clusters.Count; i++)
        {
            var (was, now) = (before.Clusters[i], after.Clusters[i]);
            if (!ReferenceEquals(was, now)) changed.Add(now.Name);
            if (was.Name != now.Name) changed.Add(was.Name);
        }
        if (!ReferenceEquals(before.Current, after.Current))
        {
            foreach (var name in before.Current) if (!after.Current.Contains(name)) changed.Add(name);
            foreach (var name in after.Current) if (!before.Current.Contains(name)) changed.Add(name);
        }
        if (ReferenceEquals(before.BundleCounts, after.BundleCounts)) return changed;
        if (before.BundleCounts is OtherBundleCounts older && after.BundleCounts is OtherBundleCounts newer
            && ReferenceEquals(older.Own, newer.Own) && newer.All.MovedSince(older.All) is { } moved)
            changed.UnionWith(moved);
        else
        {
            foreach (var (name, count) in before.BundleCounts) if (after.BundleCounts.GetValueOrDefault(name) != count) changed.Add(name);
            foreach (var (name, count) in after.BundleCounts) if (before.BundleCounts.GetValueOrDefault(name) != count) changed.Add(name);
        }
        return changed;
    }
}
