using System.Collections.Immutable;

namespace Flotilla.Cli.Plan;

/// <summary>
/// Groups a bundle's clusters by identical dry-run results, so seven clusters with one diff read "7 clusters: diff A".
/// Only clusters that were planned and would change something are grouped; labels follow the first cluster of each
/// group in name order (A, B, … Z, AA, AB, …), so the same plan always reads the same.
/// </summary>
public static class DiffGrouping
{
    public static ImmutableArray<DiffGroup> Group(IEnumerable<ClusterPlan> clusters)
    {
        var groups = new List<(ImmutableArray<ObjectChange> Changes, List<string> Clusters)>();
        foreach (var cluster in clusters.Where(c => c.Error is null && !c.Changes.IsEmpty).OrderBy(c => c.Cluster, StringComparer.Ordinal))
        {
            var same = groups.FindIndex(g => g.Changes.SequenceEqual(cluster.Changes));
            if (same >= 0) groups[same].Clusters.Add(cluster.Cluster);
            else groups.Add((cluster.Changes, [cluster.Cluster]));
        }
        return [.. groups.Select((g, i) => new DiffGroup(Label(i), [.. g.Clusters], g.Changes))];
    }

    /// <summary>The group a cluster is in, or null (not grouped: unchanged or failed).</summary>
    public static string? LabelOf(IEnumerable<DiffGroup> groups, string cluster) => groups.FirstOrDefault(g => g.Clusters.Contains(cluster))?.Label;

    /// <summary>0 → A, 25 → Z, 26 → AA: spreadsheet columns.</summary>
    public static string Label(int index) => index < 26 ? ((char)('A' + index)).ToString() : Label(index / 26 - 1) + (char)('A' + index % 26);
}
