using System.Collections.Immutable;

namespace Flotilla.Cli.Plan;

/// <summary>The plan of every bundle in scope against one source (<see cref="Source"/> says which: a ref or a directory).</summary>
public sealed record FleetPlan(string Source, ImmutableArray<BundlePlan> Bundles)
{
    public PlanOutcome Outcome => Bundles.Select(b => b.Outcome).DefaultIfEmpty(PlanOutcome.Unchanged).Max();

    /// <summary>As <c>kubectl diff</c>: 0 nothing would change, 1 something would, 2 something failed.</summary>
    public int ExitCode => Outcome switch
    {
        PlanOutcome.Unchanged => 0,
        PlanOutcome.Changed => 1,
        PlanOutcome.Failed => 2,
    };
}
