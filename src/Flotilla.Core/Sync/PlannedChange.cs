using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// One object's line in a <see cref="ChangeSet"/>. <see cref="Desired"/> is the body to apply (null for prunes),
/// <see cref="Live"/> the object as last seen on the cluster (null when absent). <see cref="Detail"/> is the reason
/// (drift: the first differing field; conflict: the server's words; prune skipped: why). <see cref="Manager"/> is
/// the other field manager involved, when known. <see cref="Force"/>: the apply takes fields from other managers.
/// <see cref="Recreate"/>: the live object is deleted and the desired one created (a changed hook with
/// <c>before-hook-creation</c>: a Job cannot be updated in place).
/// </summary>
public sealed record PlannedChange(
    ObjectRef Ref,
    ChangeAction Action,
    JsonObject? Desired,
    JsonObject? Live,
    string? Detail = null,
    string? Manager = null,
    bool Force = false,
    bool Recreate = false)
{
    /// <summary>True when the executor must send this object to the server (dry-run, then apply).</summary>
    public bool Writes => Action switch
    {
        ChangeAction.Create or ChangeAction.Update or ChangeAction.DriftCorrect => true,
        ChangeAction.Unchanged or ChangeAction.DriftReport or ChangeAction.Conflict or ChangeAction.OwnedByOtherBundle
            or ChangeAction.Prune or ChangeAction.PruneSkipped => false,
    };

    /// <summary>True when this change stops its stage (nothing of the stage is written).</summary>
    public bool Blocks => Action switch
    {
        ChangeAction.Conflict or ChangeAction.OwnedByOtherBundle => true,
        ChangeAction.Create or ChangeAction.Update or ChangeAction.Unchanged or ChangeAction.DriftCorrect or ChangeAction.DriftReport
            or ChangeAction.Prune or ChangeAction.PruneSkipped => false,
    };

    /// <summary>One line for status and logs: <c>Update ConfigMap/shop/a</c>, with the detail when there is one.</summary>
    public override string ToString() =>
        (Detail ?? (Recreate ? "recreated (before-hook-creation)" : null)) is not { } detail ? $"{Action} {Ref}"
            : $"{Action} {Ref}: {detail}{(Manager is null ? "" : $" (by {Manager})")}";
}
