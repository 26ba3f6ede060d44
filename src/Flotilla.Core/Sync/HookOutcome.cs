namespace Flotilla.Core.Sync;

/// <summary>How a hook that was deleted by its delete policy ended.</summary>
public enum HookOutcome
{
    /// <summary>It became healthy (a Job Complete) and <c>hook-succeeded</c> deleted it.</summary>
    Succeeded,

    /// <summary>It failed and <c>hook-failed</c> deleted it: the sync stays failed until its content changes.</summary>
    Failed,
}
