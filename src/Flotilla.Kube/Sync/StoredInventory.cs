using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>
/// What a member holds about one bundle: every object that may be Flotilla's (the inventory), the revision fully
/// applied when the record last changed, and — while a sync is under way or after one stopped — the revision being
/// applied and its stage. <see cref="Hooks"/>: the hooks a delete policy removed after they ran, with the content that ran.
/// The record is written only when what it lists changes: a commit that only updates objects leaves it (and its
/// <see cref="Revision"/>) as it is, and the hub, which reported that commit applied, knows better
/// (<see cref="SyncRequest.AppliedRevision"/>).
/// </summary>
public sealed record StoredInventory(Inventory Inventory, string? Revision, string? Applying = null, string? Stage = null)
{
    public static StoredInventory Empty { get; } = new(Inventory.Empty, null);

    public HookRecords Hooks { get; init; } = HookRecords.Empty;
}
