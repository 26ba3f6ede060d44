using System.Collections.Immutable;

namespace Flotilla.Core.Placement;

/// <summary>
/// <c>Bundle.spec.placement</c> as written, mapped field by field from the CRD without interpretation.
/// Defaults: every cluster matches, no tolerations beyond the automatic one for <see cref="UnavailableTaint"/>,
/// all fitting clusters (<see cref="NumberOfClusters"/> null), no spread, and — when <see cref="Prioritizers"/>
/// is empty — Steady (weight 2) and LeastBundles (weight 1): new bundles go where fewest are, current ones stay.
/// </summary>
public sealed record PlacementSpec
{
    public ImmutableSortedDictionary<string, string> MatchLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableArray<SelectorRequirementSpec> MatchExpressions { get; init; } = [];

    /// <summary>Requirements on observed facts: keys <c>kubernetesVersion</c>, <c>nodeCount</c>, or any custom property name.</summary>
    public ImmutableArray<SelectorRequirementSpec> MatchFacts { get; init; } = [];

    public ImmutableArray<TolerationSpec> Tolerations { get; init; } = [];

    /// <summary>How many clusters to choose; null chooses every cluster that fits. Must not be negative.</summary>
    public int? NumberOfClusters { get; init; }

    public SpreadSpec? Spread { get; init; }

    public ImmutableArray<PrioritizerSpec> Prioritizers { get; init; } = [];

    /// <summary>Every problem with the spec, one clear sentence each (for a Stalled condition); empty when the spec is usable.</summary>
    public ImmutableArray<string> Validate()
    {
        PlacementRules.Compile(this, out var errors);
        return errors;
    }

    public bool Equals(PlacementSpec? other) =>
        other is not null
        && MatchLabels.SequenceEqual(other.MatchLabels)
        && MatchExpressions.SequenceEqual(other.MatchExpressions)
        && MatchFacts.SequenceEqual(other.MatchFacts)
        && Tolerations.SequenceEqual(other.Tolerations)
        && NumberOfClusters == other.NumberOfClusters
        && Spread == other.Spread
        && Prioritizers.SequenceEqual(other.Prioritizers);

    public override int GetHashCode() => HashCode.Combine(MatchLabels.Count, MatchExpressions.Length, MatchFacts.Length, Tolerations.Length, NumberOfClusters, Spread, Prioritizers.Length);
}
