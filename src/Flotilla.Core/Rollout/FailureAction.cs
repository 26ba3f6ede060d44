namespace Flotilla.Core.Rollout;

/// <summary>What a run does when a failure budget is exceeded.</summary>
public enum FailureAction
{
    /// <summary>Stop releasing clusters; clusters that moved keep the new revision until resume, rollback or a newer commit.</summary>
    Pause,

    /// <summary>Send every cluster back to the last fully healthy revision.</summary>
    Rollback,
}
