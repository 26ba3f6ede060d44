namespace Flotilla.Core.Rollout;

/// <summary>One cluster's place in the run.</summary>
public enum ClusterRolloutStatus
{
    /// <summary>Its stage has not reached it yet; it keeps what it has.</summary>
    Pending,

    /// <summary>Told to move (or found on the new revision) and not yet done.</summary>
    InFlight,

    /// <summary>Reports the run's revision applied and healthy, observed after the apply.</summary>
    Done,

    /// <summary>Missed the progress deadline (unreachable, not applied, or not healthy); counts against the budget.</summary>
    Failed,

    /// <summary>Joined after its stage finished: it takes the revision with the next run.</summary>
    Deferred,

    /// <summary>Matches no stage under <c>unmatched: Error</c>.</summary>
    Unmatched,
}
