using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>How an object is written.</summary>
public enum WriteMethod
{
    /// <summary>Server-side apply (field manager <c>flotilla</c>).</summary>
    ServerSideApply,

    /// <summary>Create, or JSON merge patch when it exists: for kinds a server cannot server-side apply.</summary>
    CreateOrMergePatch,
}

/// <summary>
/// The narrow seam between the sync executor and one member: discovery, the watch cache of Flotilla's objects,
/// writes, deletes and the bundle inventories. Unit tests fake it; <see cref="MemberClusterClient"/> is the real one.
/// </summary>
public interface IClusterClient
{
    Task<ApiResource?> ResourceForAsync(string apiVersion, string kind, CancellationToken ct);

    /// <summary>Forgets cached discovery (after CRDs changed).</summary>
    void InvalidateDiscovery();

    /// <summary>Flotilla's live objects of <paramref name="kinds"/>, after each kind was listed at least once.</summary>
    Task<IReadOnlyDictionary<ObjectRef, JsonObject>> ManagedAsync(IReadOnlyCollection<ApiResource> kinds, CancellationToken ct);

    /// <summary>Writes (or with <paramref name="dryRun"/> validates) one object; the server's answer.</summary>
    Task<JsonObject> WriteAsync(ApiResource kind, JsonObject body, WriteMethod method, bool dryRun, bool force, CancellationToken ct);

    /// <summary>Deletes one object, only if it still has <paramref name="uid"/>; false when it was gone or replaced.</summary>
    Task<bool> DeleteAsync(ApiResource kind, ObjectRef reference, string? uid, CancellationToken ct);

    /// <summary>Reads one object directly from the server (waiting for a CRD to be Established).</summary>
    Task<JsonObject?> GetAsync(ApiResource kind, ObjectRef reference, CancellationToken ct);

    /// <summary>
    /// Rewrites a CRD's Established condition as "installing" (its NamesAccepted kept): an update of a CRD whose names are
    /// accepted and that is not Established is what queues it to be established. The way out when a server stopped
    /// between accepting the names and establishing left it that way, since it only queues on updates.
    /// </summary>
    Task RestartEstablishingAsync(ApiResource kind, JsonObject crd, CancellationToken ct);

    /// <summary>True while the member's API server answers at all.</summary>
    Task<bool> AnswersAsync(CancellationToken ct);

    Task<StoredInventory> ReadInventoryAsync(string owner, CancellationToken ct);

    Task WriteInventoryAsync(string owner, string bundleKey, StoredInventory inventory, CancellationToken ct);

    Task DeleteInventoryAsync(string owner, CancellationToken ct);
}
