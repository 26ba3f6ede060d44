namespace Flotilla.Core.Sync;

/// <summary>What a sync does about one object. A closed set: every consumer switches on it without a discard arm.</summary>
public enum ChangeAction
{
    /// <summary>Not on the cluster yet (or not among Flotilla's objects there): applied.</summary>
    Create,

    /// <summary>The desired object changed since it was last applied: applied.</summary>
    Update,

    /// <summary>Applied before and nobody changed a field Flotilla sets: nothing written.</summary>
    Unchanged,

    /// <summary>Someone changed a field Flotilla sets and the bundle corrects drift: applied, taking the fields back.</summary>
    DriftCorrect,

    /// <summary>Someone changed a field Flotilla sets and the bundle only reports drift (Warn, or a fight is held): nothing written.</summary>
    DriftReport,

    /// <summary>Another field manager owns a field Flotilla would set; forced only with <c>force</c>. Fails the stage.</summary>
    Conflict,

    /// <summary>The object carries another bundle's label: an object belongs to one bundle only. Fails the stage.</summary>
    OwnedByOtherBundle,

    /// <summary>In the inventory, no longer desired, and carrying this bundle's label: deleted.</summary>
    Prune,

    /// <summary>In the inventory and no longer desired, but not deleted (the reason says why).</summary>
    PruneSkipped,
}
