namespace Flotilla.Cli.Plan;

/// <summary>What a plan found for a cluster, a bundle or the fleet; ordered, so the worst of several is their maximum.</summary>
public enum PlanOutcome
{
    /// <summary>A sync would write nothing (exit code 0).</summary>
    Unchanged,

    /// <summary>A sync would write or delete something, or the placement would move (exit code 1).</summary>
    Changed,

    /// <summary>Something could not be planned or would be refused (exit code 2).</summary>
    Failed,
}
