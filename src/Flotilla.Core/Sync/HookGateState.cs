namespace Flotilla.Core.Sync;

/// <summary>Whether a sync may go past a hook stage (<see cref="HookGate"/>).</summary>
public enum HookGateState
{
    /// <summary>Everything the gate looks at is healthy (or ran and was deleted by its policy).</summary>
    Proceed,

    /// <summary>Something is not healthy yet: the sync stops here and is driven again when its status changes.</summary>
    Wait,

    /// <summary>A hook failed: the sync fails, naming it.</summary>
    Fail,
}
