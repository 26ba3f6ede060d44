namespace Flotilla.Core.Rollout;

/// <summary>Where a run stands, as the Bundle status and <c>flotilla rollout status</c> show it.</summary>
public enum RolloutPhase
{
    /// <summary>Clusters of the current stage are moving; look again at <see cref="RolloutPlan.RecheckAt"/> or on a member change.</summary>
    Progressing,

    /// <summary>The stage is done; its clusters must stay healthy for minSuccessTime.</summary>
    Baking,

    /// <summary>An Approval gate waits for <c>flotilla rollout approve</c>.</summary>
    AwaitingApproval,

    /// <summary>A TimedWait gate holds the run until <see cref="RolloutPlan.RecheckAt"/>.</summary>
    Waiting,

    /// <summary>Paused by command.</summary>
    Paused,

    /// <summary>A failure budget was exceeded and onFailure is Pause (or a rollback had nowhere to go).</summary>
    Halted,

    /// <summary>Every cluster is sent back to the last fully healthy revision.</summary>
    RolledBack,

    /// <summary>Every stage passed; the revision is the last fully healthy one.</summary>
    Completed,

    /// <summary>The spec is invalid, or clusters match no stage under <c>unmatched: Error</c>; nothing moves.</summary>
    Invalid,
}
