namespace Flotilla.Core.Rollout;

/// <summary>
/// What the hub knows of one placed cluster for one bundle, as the planner needs it.
/// </summary>
/// <param name="Name">The cluster's name; the hub passes clusters in ordinal name order (the planner sorts otherwise).</param>
/// <param name="Labels">The cluster's labels, for stage selectors.</param>
/// <param name="Reachable">False while the hub cannot reach the member; its health is then stale and never counts.</param>
/// <param name="AppliedRevision">The revision of the bundle's last completed apply on this member, or null.</param>
/// <param name="AppliedAt">When that apply completed.</param>
/// <param name="Healthy">The bundle's aggregated health on this member is Healthy (kstatus rules, observedGeneration checked).</param>
/// <param name="HealthySince">When the current healthy streak began (start of bake), or null when not healthy.</param>
/// <param name="HealthObservedAt">When <paramref name="Healthy"/> was assessed. Health counts for the applied revision only
/// when assessed at or after <paramref name="AppliedAt"/>: a Healthy left from the old revision (argo-cd#29410) never does.</param>
public sealed record ClusterObservation(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    bool Reachable,
    string? AppliedRevision,
    DateTimeOffset? AppliedAt,
    bool Healthy,
    DateTimeOffset? HealthySince,
    DateTimeOffset? HealthObservedAt)
{
    /// <summary>True when the member reports <paramref name="revision"/> applied, then healthy as observed after that apply.</summary>
    public bool IsDoneAt(string revision) =>
        Reachable && Healthy && AppliedRevision == revision
        && AppliedAt is { } applied && HealthObservedAt is { } observed && observed >= applied;

    /// <summary>When this cluster began to be healthy on what it applied (the start of its bake).</summary>
    internal DateTimeOffset HealthyOnAppliedSince =>
        HealthySince is { } since && AppliedAt is { } applied && since > applied ? since : AppliedAt ?? DateTimeOffset.MinValue;
}
