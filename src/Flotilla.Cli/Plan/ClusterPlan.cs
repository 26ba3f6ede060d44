using System.Collections.Immutable;

namespace Flotilla.Cli.Plan;

/// <summary>
/// One cluster's part of a bundle's plan: whether the bundle stays, joins or leaves there (and the placement's reason), its
/// rollout stage, the override rules that apply, and the object lines of its dry-run (objects left as they are omitted).
/// <see cref="Error"/>: the cluster could not be planned (unreachable, an override that fails there); the others proceed.
/// </summary>
public sealed record ClusterPlan(string Cluster, PlanMembership Membership)
{
    /// <summary>The placement's word on the cluster: its score when placed, the first reason it is left out otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The rollout stage it would be released in; null without <c>spec.rollout</c> or when the bundle leaves.</summary>
    public string? Stage { get; init; }

    public ImmutableArray<string> AppliedOverrides { get; init; } = [];

    public ImmutableArray<ObjectChange> Changes { get; init; } = [];

    public string? Error { get; init; }

    public PlanOutcome Outcome =>
        Error is not null || Changes.Any(c => c.Failed) ? PlanOutcome.Failed
        : Membership != PlanMembership.Stays || Changes.Any(c => c.IsChange) ? PlanOutcome.Changed
        : PlanOutcome.Unchanged;
}
