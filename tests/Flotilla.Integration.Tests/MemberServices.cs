using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Services;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Multi-cluster service fixtures on the local fleet: the ClusterSet on the hub, and in members what users and an
/// EndpointSlice controller would make (Services, their slices, ServiceExports) — the members run no endpoints
/// controller and have no nodes, so the tests write the slices themselves — plus readers of what Flotilla wrote.
/// </summary>
public sealed class MemberServices(FleetFixture fleet)
{
    public const string Set = "fleet";

    public string[] Members => [.. fleet.State.Members.Select(m => m.Name)];

    public DynamicClient Client(string cluster) => new(fleet.Member(cluster));

    /// <summary>The ClusterSet of every cluster, with the given endpoint lifetime; waits until it is Ready with all members.</summary>
    public async Task EnsureSetAsync(string after = "60s", string returnAfter = "10s", string policy = "WithdrawAfter")
    {
        var set = new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = ClusterSetResource.KindName,
            ["metadata"] = new JsonObject { ["name"] = Set },
            ["spec"] = new JsonObject
            {
                ["clusterSelector"] = new JsonObject(),
                ["staleEndpoints"] = new JsonObject { ["policy"] = policy, ["after"] = after, ["returnAfter"] = returnAfter },
            },
        };
        await fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(set.ToJsonString(), V1Patch.PatchType.ApplyPatch),
            FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, Set, fieldManager: "test", force: true);
        await Eventually.WaitAsync(async () => await SetAsync() is { Status: { } s } && s.Members?.Count == Members.Length
                && s.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            TimeSpan.FromSeconds(90), "the ClusterSet is Ready with every member", async () => (await SetAsync()).Status is { } s ? KubernetesJson.Serialize(s) : "no status");
    }

    /// <summary>
    /// Deletes the ClusterSet (after each test): the hub removes what it wrote for it and stops watching the members, so
    /// no later test of the shared fleet counts this test's watches or their re-lists.
    /// </summary>
    public async Task DeleteSetAsync()
    {
        try
        {
            await fleet.Hub.CustomObjects.DeleteClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, Set);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }

    public async Task<ClusterSetResource> SetAsync() =>
        KubeJson.As<ClusterSetResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, Set));

    public async Task NamespaceAsync(string cluster, string ns)
    {
        using var member = fleet.Member(cluster);
        try { await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } }); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict) { }
    }

    /// <summary>A ClusterIP Service with one port, its EndpointSlice (as the endpoints controller would write it) and its ServiceExport.</summary>
    public async Task ExportAsync(string cluster, string ns, string name, int port, params string[] addresses)
    {
        var client = Client(cluster);
        await client.ApplyAsync(McsResources.Service, Parse($$"""
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "{{name}}", "namespace": "{{ns}}"},
             "spec": {"ports": [{"name": "http", "port": {{port}}, "protocol": "TCP", "targetPort": 8080}] } }
            """), dryRun: false, force: true, CancellationToken.None);
        await SliceAsync(cluster, ns, name, addresses);
        await client.ApplyAsync(McsResources.ServiceExport, Parse($$"""
            {"apiVersion": "{{McsNames.ApiVersion}}", "kind": "ServiceExport", "metadata": {"name": "{{name}}", "namespace": "{{ns}}"} }
            """), dryRun: false, force: true, CancellationToken.None);
    }

    /// <summary>Writes the Service's own slice <c>NAME-local</c> with ready endpoints at <paramref name="addresses"/>.</summary>
    public async Task SliceAsync(string cluster, string ns, string name, params string[] addresses)
    {
        var client = Client(cluster);
        var slices = await McsResources.EndpointSliceAsync(client, CancellationToken.None);
        var endpoints = new JsonArray([.. addresses.Select(a => (JsonNode)new JsonObject { ["addresses"] = new JsonArray(a), ["conditions"] = new JsonObject { ["ready"] = true } })]);
        await client.ApplyAsync(slices, new JsonObject
        {
            ["apiVersion"] = slices.GroupVersion, ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject { ["name"] = $"{name}-local", ["namespace"] = ns, ["labels"] = new JsonObject { [McsNames.LocalServiceNameLabel] = name } },
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
            ["endpoints"] = endpoints,
        }, dryRun: false, force: true, CancellationToken.None);
    }

    public Task UnexportAsync(string cluster, string ns, string name) => Client(cluster).DeleteAsync(McsResources.ServiceExport, ns, name, CancellationToken.None);

    public Task<JsonObject?> ImportAsync(string cluster, string ns, string name) => Client(cluster).GetAsync(McsResources.ServiceImport, ns, name, CancellationToken.None);

    public Task<JsonObject?> ExportStatusAsync(string cluster, string ns, string name) => Client(cluster).GetAsync(McsResources.ServiceExport, ns, name, CancellationToken.None);

    /// <summary>The slices Flotilla copied into <paramref name="cluster"/> for the service.</summary>
    public async Task<IReadOnlyList<JsonObject>> CopiesAsync(string cluster, string ns, string name)
    {
        var client = Client(cluster);
        var slices = await McsResources.EndpointSliceAsync(client, CancellationToken.None);
        var list = await client.ListAsync(slices, ns, $"{McsNames.ServiceNameLabel}={name}", CancellationToken.None);
        return [.. list["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    /// <summary>The source clusters of Flotilla's copies in <paramref name="cluster"/>, each with its addresses, in order.</summary>
    public async Task<string> SourcesAsync(string cluster, string ns, string name) => string.Join(" ", (await CopiesAsync(cluster, ns, name))
        .Where(c => c["metadata"]!["labels"]![Flotilla.Core.Sync.OwnershipLabels.ManagedBy] is not null)
        .Select(c => $"{c["metadata"]!["labels"]![McsNames.SourceClusterLabel]}={string.Join(",", c["endpoints"]!.AsArray().SelectMany(e => e!["addresses"]!.AsArray()).Select(a => a!.GetValue<string>()))}")
        .Order(StringComparer.Ordinal));

    public static string? Condition(JsonObject? obj, string type, string field = "status") =>
        obj?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == type)?[field]?.GetValue<string>();

    public async Task<string> DescribeAsync(string ns, string name)
    {
        var parts = new List<string>();
        foreach (var m in Members)
            parts.Add($"{m}: import={(await ImportAsync(m, ns, name))?["spec"]?.ToJsonString()} copies=[{await SourcesAsync(m, ns, name)}]");
        return string.Join(" | ", parts);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
