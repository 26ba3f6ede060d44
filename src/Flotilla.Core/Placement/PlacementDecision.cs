using System.Collections.Immutable;

namespace Flotilla.Core.Placement;

/// <summary>
/// The result of placing one bundle: the chosen clusters (ordinal by name, so a new pick never reorders the rest),
/// one outcome per cluster (ordinal by name) with its score or the first reason it was left out, and when to decide
/// again because a toleration's seconds run out (null: only a change of inputs can change the decision).
/// </summary>
public sealed record PlacementDecision(ImmutableArray<string> Selected, ImmutableArray<ClusterOutcome> Outcomes, DateTimeOffset? RecheckAt)
{
    /// <summary>The clusters left out, with their reasons, ordinal by name.</summary>
    public IEnumerable<ClusterOutcome> NotSelected => Outcomes.Where(o => !o.Selected);

    public bool Equals(PlacementDecision? other) =>
        other is not null && RecheckAt == other.RecheckAt && Selected.SequenceEqual(other.Selected) && Outcomes.SequenceEqual(other.Outcomes);

    public override int GetHashCode() => HashCode.Combine(Selected.Length, Outcomes.Length, RecheckAt);
}
