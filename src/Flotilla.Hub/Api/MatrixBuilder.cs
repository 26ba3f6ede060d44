using Flotilla.Kube.Api;

namespace Flotilla.Hub.Api;

/// <summary>
/// Aggregates the bundle × cluster matrix on the server: filter and group the clusters, count every column over all of
/// them, and build cells for one page of rows only. Cells are looked up in each bundle's by-cluster index, so a page
/// costs clusters × bundles lookups for the totals and page × bundles cells, never a scan of a status list per cell.
/// </summary>
public static class MatrixBuilder
{
    public static MatrixPage Build(IEnumerable<ClusterResource> clusters, IEnumerable<BundleView> bundles, MatrixQuery query)
    {
        var columns = bundles.Where(b => query.Namespace is null || b.Namespace == query.Namespace)
            .OrderBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var desired = columns.Select(b => b.Resource.Status?.DesiredRevision).ToArray();
        var rows = clusters
            .Where(c => query.Selector.Matches((IReadOnlyDictionary<string, string>?)c.Metadata.Labels ?? Empty))
            .Select(c => (Cluster: c, Group: query.GroupBy is null ? null : (c.Metadata.Labels is { } labels && labels.TryGetValue(query.GroupBy, out var value) ? value : "")))
            .OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Cluster.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var synced = new int[columns.Length];
        var outOfSync = new int[columns.Length];
        var failed = new int[columns.Length];
        var kept = new List<(ClusterResource Cluster, string? Group)>(rows.Count);
        foreach (var row in rows)
        {
            var name = row.Cluster.Metadata.Name;
            var matches = query.Status is null;
            for (var i = 0; i < columns.Length; i++)
            {
                if (!columns[i].ByCluster.TryGetValue(name, out var entry)) continue;
                var sync = MatrixCell.SyncOf(entry, desired[i]);
                if (sync == "Synced") synced[i]++;
                else if (MatrixCell.Matches(MatrixStatusFilter.Failed, sync, null, false)) failed[i]++;
                else outOfSync[i]++;
                if (!matches && MatrixCell.Matches(query.Status!.Value, sync, entry.Health, !string.IsNullOrEmpty(entry.Drift))) matches = true;
            }
            if (matches) kept.Add(row);
        }
        var pages = Math.Max(1, (kept.Count + query.PageSize - 1) / query.PageSize);
        var page = kept.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(r => new MatrixRow(r.Cluster.Metadata.Name, r.Group, IsAvailable(r.Cluster),
                [.. columns.Select((b, i) => b.ByCluster.TryGetValue(r.Cluster.Metadata.Name, out var e) ? MatrixCell.From(e, desired[i]) : null)]))
            .ToList();
        var header = columns.Select((b, i) => new MatrixColumn(b.Namespace, b.Name, MatrixCell.Short(desired[i]), synced[i], outOfSync[i], failed[i])).ToList();
        return new MatrixPage(header, page, kept.Count, query.Page, query.PageSize, pages);
    }

    public static bool IsAvailable(ClusterResource cluster) =>
        cluster.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
