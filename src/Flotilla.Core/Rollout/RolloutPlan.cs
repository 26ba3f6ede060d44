using System.Collections.Immutable;

namespace Flotilla.Core.Rollout;

/// <summary>
/// What <see cref="RolloutPlanner.Plan"/> decided: each cluster's revision (in the clusters' name order), the state to store
/// in the Bundle status, the phase and a human reason, the gate an approval would pass, and when to plan again even if
/// nothing changes (null: only a member change or a command can move the run).
/// </summary>
public sealed record RolloutPlan(
    ImmutableArray<ClusterRollout> Clusters,
    RolloutState State,
    RolloutPhase Phase,
    string Message,
    DateTimeOffset? RecheckAt,
    string? AwaitingApproval = null)
{
    public bool Equals(RolloutPlan? other) =>
        other is not null && Clusters.SequenceEqual(other.Clusters) && State.Equals(other.State) && Phase == other.Phase
        && Message == other.Message && RecheckAt == other.RecheckAt && AwaitingApproval == other.AwaitingApproval;

    public override int GetHashCode() => HashCode.Combine(Clusters.Length, State, Phase, Message, RecheckAt);
}
