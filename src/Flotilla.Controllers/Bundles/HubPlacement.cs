using Flotilla.Core.Placement;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// A bundle's placement decided as the hub would decide it now, for <c>placement explain</c>, <c>plan</c> and the dashboard: the hub's
/// engine over the registered clusters, with the bundle's current decision from its status (what Steady keeps and a
/// toleration's grace counts from) and the other bundles' decisions (what LeastBundles counts).
/// </summary>
public static class HubPlacement
{
    /// <summary>The clusters the bundle is on now: its recorded decision, or before one was recorded the clusters its status lists.</summary>
    public static HashSet<string> Current(BundleResource bundle) =>
        (bundle.Status?.Placement?.Selected ?? bundle.Status?.Clusters?.Select(c => c.Name) ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>Decides; <paramref name="spec"/> must be valid (<see cref="PlacementSpec.Validate"/>).</summary>
    public static PlacementDecision Decide(PlacementSpec spec, BundleResource bundle, IEnumerable<ClusterResource> clusters, IEnumerable<BundleResource> allBundles, DateTimeOffset now)
    {
        var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
        var counts = allBundles
            .Where(b => ObjectKey.Of(b.Metadata.NamespaceProperty, b.Metadata.Name) != key)
            .SelectMany(b => b.Status?.Placement?.Selected ?? [])
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return PlacementEngine.Decide(spec, new PlacementInput([.. clusters.Select(c => PlacementMapping.Facts(c, now))], now)
        {
            Current = Current(bundle),
            BundleCounts = counts,
        });
    }
}
