using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>What a member holds about one bundle: the inventory and the revision last fully applied.</summary>
public sealed record StoredInventory(Inventory Inventory, string? Revision);

/// <summary>
/// Keeps each bundle's inventory inside the member, in ConfigMap <c>flotilla-system/inv-&lt;ns&gt;.&lt;name&gt;</c>,
/// so a restarted hub (or another hub) knows exactly what it may prune.
/// </summary>
public static class InventoryStore
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    private static readonly ApiResource Namespaces = new("", "v1", "Namespace", "namespaces", false);

    public static string Name(SyncRequest request) => $"inv-{request.Owner}";

    /// <summary>The stored inventory, or an empty one on a first sync. Read failures throw: no prune without it.</summary>
    public static async Task<StoredInventory> ReadAsync(DynamicClient member, SyncRequest request, CancellationToken ct)
    {
        var map = await member.GetAsync(ConfigMaps, FlotillaApi.SystemNamespace, Name(request), ct);
        if (map is null) return new(Inventory.Empty, null);
        var data = map["data"];
        return new(Inventory.Parse(data?["entries"]?.GetValue<string>() ?? ""), data?["revision"]?.GetValue<string>());
    }

    /// <summary>Every kind any bundle's inventory in this member holds (what the drift watches must cover).</summary>
    public static async Task<IReadOnlySet<(string ApiVersion, string Kind)>> ManagedKindsAsync(DynamicClient member, CancellationToken ct)
    {
        var maps = await member.ListAsync(ConfigMaps, FlotillaApi.SystemNamespace, OwnershipLabels.Bundle, ct);
        var kinds = new HashSet<(string, string)>();
        foreach (var item in maps["items"]?.AsArray() ?? [])
            foreach (var entry in Inventory.Parse(item?["data"]?["entries"]?.GetValue<string>() ?? "").Entries)
                kinds.Add((entry.ApiVersion, entry.Kind));
        return kinds;
    }

    /// <summary>Writes the inventory (and creates <c>flotilla-system</c> when missing).</summary>
    public static async Task WriteAsync(DynamicClient member, SyncRequest request, Inventory inventory, string revision, CancellationToken ct)
    {
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = FlotillaApi.SystemNamespace } };
        try
        {
            await member.ApplyAsync(ConfigMaps, Body(request, inventory, revision), dryRun: false, force: true, ct);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            await member.ApplyAsync(Namespaces, ns, dryRun: false, force: true, ct);
            await member.ApplyAsync(ConfigMaps, Body(request, inventory, revision), dryRun: false, force: true, ct);
        }
    }

    private static JsonObject Body(SyncRequest request, Inventory inventory, string revision) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name(request),
            ["namespace"] = FlotillaApi.SystemNamespace,
            ["labels"] = new JsonObject { [OwnershipLabels.Bundle] = request.Owner, ["app.kubernetes.io/managed-by"] = "flotilla" },
        },
        ["data"] = new JsonObject { ["revision"] = revision, ["entries"] = inventory.Serialize() },
    };
}
