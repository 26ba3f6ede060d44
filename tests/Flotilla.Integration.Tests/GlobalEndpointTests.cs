using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Services;
using Flotilla.Kube.Simulation;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Global routing on the real local fleet: an exported LoadBalancer Service in two regions becomes one external-dns
/// DNSEndpoint on the hub carrying both load-balancer addresses, and the name drops a member whose Service has no ready
/// endpoint, or whose cluster is Unavailable, and takes it back when it recovers.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class GlobalEndpointTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = "mcs-global";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly ApiResource DnsEndpoints = new("externaldns.k8s.io", "v1alpha1", "DNSEndpoint", "dnsendpoints", true);
    private readonly MemberServices mcs = new(fleet);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => mcs.DeleteSetAsync();

    /// <summary>The Service made a LoadBalancer; the local fleet's simulator gives it its address, as a cloud would.</summary>
    private async Task LoadBalancerAsync(string cluster)
    {
        await mcs.ExportAsync(cluster, Ns, "shop", 443, $"10.{cluster[^1]}.0.1");
        await mcs.Client(cluster).MergePatchAsync(McsResources.Service, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "shop", ["namespace"] = Ns }, ["spec"] = new JsonObject { ["type"] = "LoadBalancer" },
        }, dryRun: false, CancellationToken.None);
    }

    private static string Address(string cluster) => LoadBalancerStatusRules.AddressOf(cluster, Ns, "shop");

    private static string Both => string.Join(",", new[] { Address("member-1"), Address("member-2") }.Order(StringComparer.Ordinal));

    private async Task<string> TargetsAsync()
    {
        var record = await new DynamicClient(fleet.Hub).GetAsync(DnsEndpoints, Ns, "shop", CancellationToken.None);
        return string.Join(",", record?["spec"]?["endpoints"]?.AsArray().SelectMany(e => e!["targets"]!.AsArray()).Select(t => t!.GetValue<string>()) ?? []);
    }

    private async Task<GlobalEndpointResource> EndpointAsync() => KubeJson.As<GlobalEndpointResource>(
        await fleet.Hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, GlobalEndpointResource.Plural, "shop"));

    private Task WaitTargetsAsync(string expected, string what) =>
        Eventually.WaitAsync(async () => await TargetsAsync() == expected, Deadline, what,
            async () => $"DNSEndpoint targets [{await TargetsAsync()}]; status {KubernetesJson.Serialize((await EndpointAsync()).Status)}");

    [Fact]
    public async Task The_DNSEndpoint_lists_the_healthy_regions_and_drops_one_without_ready_endpoints_or_whose_cluster_fails()
    {
        await ExternalDnsCrd.InstallAsync(fleet.Hub);
        await mcs.EnsureSetAsync();
        await new HubObjects(fleet.Hub, Ns).EnsureNamespaceAsync();
        foreach (var m in mcs.Members) await mcs.NamespaceAsync(m, Ns);
        await LoadBalancerAsync("member-1");
        await LoadBalancerAsync("member-2");
        await new HubObjects(fleet.Hub, Ns).ApplyAsync(GlobalEndpointResource.Plural, JsonNode.Parse($$"""
            {"apiVersion": "{{FlotillaApi.ApiVersion}}", "kind": "GlobalEndpoint", "metadata": {"name": "shop", "namespace": "{{Ns}}"},
             "spec": {"clusterSet": "{{MemberServices.Set}}", "service": {"namespace": "{{Ns}}", "name": "shop"}, "dnsName": "shop.example.com",
                      "regionWeights": {"eu-west": 3} } }
            """)!.AsObject());
        await WaitTargetsAsync(Both, "both regions in the DNSEndpoint");
        // The status is written right after the record.
        await Eventually.WaitAsync(async () => (await EndpointAsync()).Status?.HealthyClusters == 2, Deadline, "the status lists two healthy clusters");
        var status = (await EndpointAsync()).Status!;
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal(3, status.Targets!.Single(t => t.Region == "eu-west").Weight);
        var member3 = status.Targets!.Single(t => t.Cluster == "member-3");
        Assert.False(member3.Healthy);
        Assert.Contains("not of type LoadBalancer", member3.Reason);
        output.WriteLine($"targets: {string.Join("; ", status.Targets!.Select(t => $"{t.Cluster} {t.Region} w{t.Weight} {t.Reason}"))}");

        // member-2's Service loses its ready endpoints: the name drops it; they return: it is back.
        await mcs.SliceAsync("member-2", Ns, "shop");
        await WaitTargetsAsync(Address("member-1"), "member-2 without ready endpoints dropped");
        await Eventually.WaitAsync(async () => (await EndpointAsync()).Status!.Targets!.Single(t => t.Cluster == "member-2").Reason == "no ready endpoints",
            Deadline, "member-2's reason in the status");
        await mcs.SliceAsync("member-2", Ns, "shop", "10.2.0.1");
        await WaitTargetsAsync(Both, "member-2 back with a ready endpoint");

        // member-2's API server stops: once the hub sees it Unavailable, the name fails over to member-1 alone.
        await fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec": {"healthCheck": {"intervalSeconds": 1, "unreachableGraceSeconds": 1}}}""",
            V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "member-2");
        try
        {
            var apiServer = fleet.Launcher.State!.Processes.Single(p => p.Name == "member-2-apiserver");
            using (var process = Process.GetProcessById(apiServer.Pid)) process.Kill();
            var clock = Stopwatch.StartNew();
            await WaitTargetsAsync(Address("member-1"), "the failed region dropped");
            output.WriteLine($"member-2 stopped → DNSEndpoint without it in {clock.Elapsed.TotalSeconds:0.0}s");
            await Eventually.WaitAsync(async () => (await EndpointAsync()).Status!.Targets!.Single(t => t.Cluster == "member-2").Reason == "cluster Unavailable",
                Deadline, "member-2's reason in the status");
        }
        finally
        {
            await fleet.RestoreAsync();
        }
        await WaitTargetsAsync(Both, "member-2 back in the name once Available");
        await fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec": {"healthCheck": null}}""", V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "member-2");
        foreach (var m in new[] { "member-1", "member-2" }) await mcs.UnexportAsync(m, Ns, "shop");
    }
}
