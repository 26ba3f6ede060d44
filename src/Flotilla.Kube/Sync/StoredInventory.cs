using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>
/// What a member holds about one bundle: every object that may be Flotilla's (the inventory), the revision last
/// fully applied, and — while a sync is under way or after one stopped — the revision being applied and its stage.
/// <see cref="Hooks"/>: the hooks a delete policy removed after they ran, with the content that ran.
/// </summary>
public sealed record StoredInventory(Inventory Inventory, string? Revision, string? Applying = null, string? Stage = null)
{
    public static StoredInventory Empty { get; } = new(Inventory.Empty, null);

    public HookRecords Hooks { get; init; } = HookRecords.Empty;
}
