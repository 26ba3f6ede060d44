using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>
/// The real <see cref="IClusterClient"/>: one member's <see cref="DynamicClient"/> and <see cref="MemberObjectCache"/>.
/// Inventories live in the member (ConfigMap <c>flotilla-system/inv-&lt;owner&gt;</c>, so a restarted hub recovers
/// them); each is read from the member once and afterwards known from what this hub wrote — never polled.
/// </summary>
public sealed class MemberClusterClient(DynamicClient client, MemberObjectCache cache) : IClusterClient
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    private static readonly ApiResource Namespaces = new("", "v1", "Namespace", "namespaces", false);
    private readonly ConcurrentDictionary<string, StoredInventory> _inventories = new(StringComparer.Ordinal);

    public DynamicClient Client => client;

    public MemberObjectCache Cache => cache;

    public static string InventoryName(string owner) => $"inv-{owner}";

    public Task<ApiResource?> ResourceForAsync(string apiVersion, string kind, CancellationToken ct) => client.ResourceForAsync(apiVersion, kind, ct);

    public void InvalidateDiscovery() => client.InvalidateDiscovery();

    public async Task<IReadOnlyDictionary<ObjectRef, JsonObject>> ManagedAsync(IReadOnlyCollection<ApiResource> kinds, CancellationToken ct)
    {
        await cache.EnsureAsync(kinds, ct);
        return cache.Live(kinds);
    }

    public async Task<JsonObject> WriteAsync(ApiResource kind, JsonObject body, WriteMethod method, bool dryRun, bool force, CancellationToken ct)
    {
        var result = method switch
        {
            WriteMethod.ServerSideApply => await client.ApplyAsync(kind, body, dryRun, force, ct),
            WriteMethod.CreateOrMergePatch => await CreateOrMergeAsync(kind, body, dryRun, ct),
        };
        if (!dryRun) cache.Observe(kind, result);
        return result;
    }

    private async Task<JsonObject> CreateOrMergeAsync(ApiResource kind, JsonObject body, bool dryRun, CancellationToken ct)
    {
        var ns = kind.Namespaced ? body["metadata"]?["namespace"]?.GetValue<string>() : null;
        var existing = await client.GetAsync(kind, ns, body["metadata"]!["name"]!.GetValue<string>(), ct);
        return existing is null ? await client.CreateAsync(kind, body, dryRun, ct) : await client.MergePatchAsync(kind, body, dryRun, ct);
    }

    public Task RestartEstablishingAsync(ApiResource kind, JsonObject crd, CancellationToken ct)
    {
        var accepted = (crd["status"]?["conditions"] as JsonArray ?? []).Where(c => c?["type"]?.GetValue<string>() == "NamesAccepted").Select(c => c!.DeepClone());
        var installing = new JsonObject
        {
            ["type"] = "Established", ["status"] = "False", ["reason"] = "Installing",
            ["message"] = "queued again by flotilla: the names were accepted but the CRD was never established",
            ["lastTransitionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray([.. accepted, installing]) } };
        return client.MergePatchStatusAsync(kind, crd["metadata"]!["name"]!.GetValue<string>(), patch, ct);
    }

    public async Task<bool> DeleteAsync(ApiResource kind, ObjectRef reference, string? uid, CancellationToken ct)
    {
        var deleted = await client.DeleteAsync(kind, kind.Namespaced ? reference.Namespace : null, reference.Name, ct, uid);
        cache.Removed(kind, reference);
        return deleted;
    }

    public Task<JsonObject?> GetAsync(ApiResource kind, ObjectRef reference, CancellationToken ct) =>
        client.GetAsync(kind, kind.Namespaced ? reference.Namespace : null, reference.Name, ct);

    public Task<bool> AnswersAsync(CancellationToken ct) => client.AnswersAsync(ct);

    /// <summary>The stored inventory, or an empty one on a first sync. Read failures throw: no prune without it.</summary>
    public async Task<StoredInventory> ReadInventoryAsync(string owner, CancellationToken ct)
    {
        if (_inventories.TryGetValue(owner, out var known)) return known;
        var map = await client.GetAsync(ConfigMaps, FlotillaApi.SystemNamespace, InventoryName(owner), ct);
        var data = map?["data"];
        var stored = map is null ? StoredInventory.Empty : new StoredInventory(Inventory.Parse(data?["entries"]?.GetValue<string>() ?? ""),
            data?["revision"]?.GetValue<string>(), data?["applying"]?.GetValue<string>(), data?["stage"]?.GetValue<string>())
        {
            Hooks = HookRecords.Parse(data?["hooks"]?.GetValue<string>() ?? ""),
        };
        return _inventories.GetOrAdd(owner, stored);
    }

    /// <summary>Writes the inventory (creating <c>flotilla-system</c> when missing).</summary>
    public async Task WriteInventoryAsync(string owner, string bundleKey, StoredInventory inventory, CancellationToken ct)
    {
        try
        {
            await client.ApplyAsync(ConfigMaps, Body(owner, bundleKey, inventory), dryRun: false, force: true, ct);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = FlotillaApi.SystemNamespace } };
            await client.ApplyAsync(Namespaces, ns, dryRun: false, force: true, ct);
            await client.ApplyAsync(ConfigMaps, Body(owner, bundleKey, inventory), dryRun: false, force: true, ct);
        }
        _inventories[owner] = inventory;
    }

    public async Task DeleteInventoryAsync(string owner, CancellationToken ct)
    {
        await client.DeleteAsync(ConfigMaps, FlotillaApi.SystemNamespace, InventoryName(owner), ct);
        _inventories[owner] = StoredInventory.Empty;
    }

    private static JsonObject Body(string owner, string bundleKey, StoredInventory inventory)
    {
        var data = new JsonObject { ["entries"] = inventory.Inventory.Serialize() };
        if (inventory.Revision is not null) data["revision"] = inventory.Revision;
        if (inventory.Applying is not null) data["applying"] = inventory.Applying;
        if (inventory.Stage is not null) data["stage"] = inventory.Stage;
        if (inventory.Hooks.Count > 0) data["hooks"] = inventory.Hooks.Serialize();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = InventoryName(owner),
                ["namespace"] = FlotillaApi.SystemNamespace,
                ["labels"] = new JsonObject { [OwnershipLabels.Bundle] = owner, ["app.kubernetes.io/managed-by"] = "flotilla" },
                ["annotations"] = new JsonObject { [OwnershipLabels.BundleName] = bundleKey },
            },
            ["data"] = data,
        };
    }
}
