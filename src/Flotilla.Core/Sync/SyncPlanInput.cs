using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// What the <see cref="SyncPlanner"/> needs: the desired objects (prepared for this cluster), the live objects
/// Flotilla manages there (by identity; absent means not there), the stored inventory, the bundle's ownership
/// label value and its policy. <see cref="Held"/>: objects whose drift is not corrected now (a fight is held).
/// </summary>
public sealed record SyncPlanInput(
    IReadOnlyList<DesiredObject> Desired,
    IReadOnlyDictionary<ObjectRef, JsonObject> Live,
    Inventory Inventory,
    string Owner,
    SyncPolicy Policy)
{
    public Func<ObjectRef, bool> Held { get; init; } = _ => false;

    /// <summary>
    /// Objects the caller knows to be unchanged: their live copy has not changed since it was last compared with this
    /// very desired object and matched. They are planned <see cref="ChangeAction.Unchanged"/> without reading the live
    /// copy (their <see cref="PlannedChange.Live"/> is null), which is most of a resync's work.
    /// </summary>
    public IReadOnlySet<ObjectRef> KnownUnchanged { get; init; } = NoObjects;

    /// <summary>Hooks a delete policy removed after they ran: absent at the recorded hash is their expected state.</summary>
    public HookRecords Hooks { get; init; } = HookRecords.Empty;

    private static readonly IReadOnlySet<ObjectRef> NoObjects = new HashSet<ObjectRef>();
}
