using Flotilla.Core.Manifests;
using Flotilla.Kube.Sync;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>
/// One call the executor made: the object (writes, deletes, gets), how it was written, the uid a delete was
/// conditioned on, and the inventory as written (inventory writes). Prints as one readable line for assertions.
/// </summary>
internal sealed record RecordedCall(CallKind Kind, ObjectRef? Object = null, WriteMethod? Method = null, string? Uid = null, StoredInventory? Inventory = null)
{
    public bool IsWrite => Kind is CallKind.WriteInventory or CallKind.DeleteInventory or CallKind.Apply or CallKind.Delete or CallKind.RestartEstablishing;

    public override string ToString() => Kind switch
    {
        CallKind.WriteInventory => $"inventory [{string.Join(", ", Inventory!.Inventory.Entries)}] applying={Inventory.Applying} stage={Inventory.Stage} revision={Inventory.Revision}",
        CallKind.DryRun or CallKind.Apply => $"{Kind} {Object}{(Method == WriteMethod.CreateOrMergePatch ? " (create/merge)" : "")}",
        CallKind.Delete => $"Delete {Object} uid={Uid}",
        CallKind.ReadInventory or CallKind.DeleteInventory or CallKind.Get or CallKind.RestartEstablishing => $"{Kind} {Object}",
    };
}
