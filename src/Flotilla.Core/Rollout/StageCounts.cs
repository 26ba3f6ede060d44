namespace Flotilla.Core.Rollout;

/// <summary>One stage's tally during a plan: a mutable struct in an array, so counting allocates nothing.</summary>
internal struct StageCounts
{
    public int Total;
    public int Done;
    public int Failed;
    public int InFlight;
    public int Pending;

    /// <summary>When the last of the done clusters began to be healthy on the new revision: the bake runs from here.</summary>
    public DateTimeOffset LatestHealthyStart;

    /// <summary>The first progress deadline among the clusters in flight: when a failure could next be recorded.</summary>
    public DateTimeOffset? EarliestDeadline;

    public void Add(ClusterRolloutStatus status, ClusterObservation o, DateTimeOffset? deadline)
    {
        Total++;
        switch (status)
        {
            case ClusterRolloutStatus.Done:
                Done++;
                if (o.HealthyOnAppliedSince > LatestHealthyStart) LatestHealthyStart = o.HealthyOnAppliedSince;
                break;
            case ClusterRolloutStatus.Failed:
                Failed++;
                break;
            case ClusterRolloutStatus.InFlight:
                InFlight++;
                if (deadline is { } at) Deadline(at);
                break;
            case ClusterRolloutStatus.Pending:
            case ClusterRolloutStatus.Deferred:
            case ClusterRolloutStatus.Unmatched:
                Pending += status == ClusterRolloutStatus.Pending ? 1 : 0;
                break;
        }
    }

    public void Released(DateTimeOffset deadline)
    {
        Pending--;
        InFlight++;
        Deadline(deadline);
    }

    public readonly StageSummary Summary(string name) => new(name, Total, Done, Failed);

    private void Deadline(DateTimeOffset at)
    {
        if (EarliestDeadline is null || at < EarliestDeadline) EarliestDeadline = at;
    }
}
