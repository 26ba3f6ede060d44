using System.Collections.Immutable;
using Flotilla.Core.Clusters;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Maps the wire types to the pure placement and override inputs, field by field and without interpretation
/// (operators and effects stay text, so <see cref="PlacementSpec.Validate"/> names a bad one).
/// </summary>
public static class PlacementMapping
{
    private static readonly IReadOnlyDictionary<string, string> NoStrings = new Dictionary<string, string>();

    public static PlacementSpec Spec(BundlePlacement? placement) => placement is null ? new() : new()
    {
        MatchLabels = (placement.ClusterSelector?.MatchLabels ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
        MatchExpressions = [.. (placement.ClusterSelector?.MatchExpressions ?? []).Select(e => new SelectorRequirementSpec(e.Key, e.OperatorProperty, [.. e.Values ?? []]))],
        MatchFacts = [.. (placement.MatchFacts ?? []).Select(f => new SelectorRequirementSpec(f.Key, f.Operator, [.. f.Values ?? []]))],
        Tolerations = [.. (placement.Tolerations ?? []).Select(t => new TolerationSpec(t.Key, t.Operator, t.Value, t.Effect, t.TolerationSeconds))],
        NumberOfClusters = placement.NumberOfClusters,
        Spread = placement.Spread is { } spread ? new SpreadSpec(spread.TopologyKey, spread.MaxSkew ?? 1) : null,
        Prioritizers = [.. (placement.Prioritizers ?? []).Select(p => new PrioritizerSpec(p.Type, p.Weight ?? 1, p.Property, p.Prefer))],
    };

    /// <summary>
    /// What placement knows of a Cluster. A taint without <c>timeAdded</c> (written before it existed) counts from the
    /// Cluster's creation; a cluster not Available (or not probed yet) is unavailable since its Available condition last
    /// changed, or since its creation.
    /// </summary>
    public static ClusterFacts Facts(ClusterResource cluster, DateTimeOffset now)
    {
        var created = cluster.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(c, TimeSpan.Zero) : now;
        var available = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        return new ClusterFacts(cluster.Metadata.Name)
        {
            Labels = cluster.Metadata.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : NoStrings,
            Taints = [.. (cluster.Spec.Taints ?? []).Select(t => new Core.Placement.ClusterTaint(t.Key, t.Value ?? "", Effect(t.Effect), t.TimeAdded ?? created))],
            Properties = cluster.Spec.Properties ?? NoStrings,
            KubernetesVersion = cluster.Status?.KubernetesVersion,
            NodeCount = cluster.Status?.NodeCount,
            UnavailableSince = available?.Status == "True" ? null : available?.LastTransitionTime ?? created,
        };
    }

    /// <summary>
    /// What overrides know of a Cluster: its name, labels, and properties — its own, plus the observed
    /// <c>kubernetesVersion</c> and <c>nodeCount</c> where it sets none of that name.
    /// </summary>
    public static OverrideCluster OverrideCluster(ClusterResource cluster)
    {
        var properties = new Dictionary<string, string>(cluster.Spec.Properties ?? NoStrings, StringComparer.Ordinal);
        if (cluster.Status?.KubernetesVersion is { } version) properties.TryAdd("kubernetesVersion", version);
        if (cluster.Status?.NodeCount is { } nodes) properties.TryAdd("nodeCount", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new(cluster.Metadata.Name, cluster.Metadata.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : NoStrings, properties);
    }

    // The CRD schema allows only the three effects; anything else (an object written around the schema) keeps bundles away.
    private static TaintEffect Effect(string effect) => Enum.TryParse<TaintEffect>(effect, out var parsed) && Enum.IsDefined(parsed) ? parsed : TaintEffect.NoSelect;
}
