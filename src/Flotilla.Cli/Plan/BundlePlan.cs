using System.Collections.Immutable;

namespace Flotilla.Cli.Plan;

/// <summary>
/// A bundle's plan: the revision planned (a commit, or the local directory), the clusters it is or would be on, and the
/// rollout's stages in order (empty without <c>spec.rollout</c>). <see cref="Errors"/>: why the bundle as a whole could not
/// be planned (an invalid spec, a fetch or render that failed, override rules that cannot be read).
/// </summary>
public sealed record BundlePlan(string Namespace, string Name)
{
    public string? Revision { get; init; }

    public ImmutableArray<string> Errors { get; init; } = [];

    /// <summary>Ordinal by cluster name.</summary>
    public ImmutableArray<ClusterPlan> Clusters { get; init; } = [];

    public string? RolloutStrategy { get; init; }

    public ImmutableArray<string> Stages { get; init; } = [];

    public string Key => $"{Namespace}/{Name}";

    public PlanOutcome Outcome => Errors.IsEmpty ? Clusters.Select(c => c.Outcome).DefaultIfEmpty(PlanOutcome.Unchanged).Max() : PlanOutcome.Failed;
}
