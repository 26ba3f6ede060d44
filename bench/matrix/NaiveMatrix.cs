using Flotilla.Hub.Api;
using Flotilla.Kube.Api;

namespace Flotilla.Bench.Matrix;

/// <summary>
/// The baseline: what an endpoint written straight over the wire objects does — every cell found by scanning the
/// bundle's status list, every row built and sent (paging left to the browser).
/// </summary>
public static class NaiveMatrix
{
    public static object Build(IReadOnlyCollection<ClusterResource> clusters, IReadOnlyCollection<BundleView> bundles)
    {
        var columns = bundles.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Resource).ToList();
        return new
        {
            bundles = columns.Select(b => new { b.Metadata.NamespaceProperty, b.Metadata.Name }).ToList(),
            rows = clusters.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).Select(c => new
            {
                cluster = c.Metadata.Name,
                cells = columns.Select(b => b.Status?.Clusters?.FirstOrDefault(e => e.Name == c.Metadata.Name) is { } e
                    ? MatrixCell.From(e, b.Status.DesiredRevision) : null).ToList(),
            }).ToList(),
        };
    }
}
