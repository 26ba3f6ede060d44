namespace Flotilla.Core.Rollout;

/// <summary>What a user can tell a run (<c>flotilla rollout pause|resume|approve|rollback</c>).</summary>
public enum RolloutCommandKind
{
    /// <summary>Stop releasing clusters and passing gates; what moved keeps moving.</summary>
    Pause,

    /// <summary>Lift a pause or a failure halt; failed and in-flight clusters get a fresh deadline (a retry).</summary>
    Resume,

    /// <summary>Approve one Approval gate of one revision's run.</summary>
    Approve,

    /// <summary>Send the run's clusters back to the last fully healthy revision.</summary>
    Rollback,
}
