using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Services;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Multi-cluster services on the real local fleet: exports in two members become a ServiceImport and both clusters'
/// EndpointSlices in all three; a port conflict marks the newer export; an endpoint change reaches the copies; unexport
/// removes everything Flotilla wrote and nothing else.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class MultiClusterServiceTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly MemberServices mcs = new(fleet);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => mcs.DeleteSetAsync();

    [Fact]
    public async Task Exports_in_two_members_are_imported_in_all_three_within_2s_and_unexport_removes_them_everywhere()
    {
        const string ns = "mcs-basic";
        await mcs.EnsureSetAsync();
        foreach (var m in mcs.Members) await mcs.NamespaceAsync(m, ns);
        // Something Flotilla did not write, shaped like what it writes: it must survive everything below.
        var member3 = mcs.Client("member-3");
        var slices = await McsResources.EndpointSliceAsync(member3, CancellationToken.None);
        await member3.ApplyAsync(slices, JsonNode.Parse($$"""
            {"apiVersion": "{{slices.GroupVersion}}", "kind": "EndpointSlice",
             "metadata": {"name": "cart-by-hand", "namespace": "{{ns}}", "labels": {"{{McsNames.ServiceNameLabel}}": "cart", "{{McsNames.SourceClusterLabel}}": "elsewhere"} },
             "addressType": "IPv4", "endpoints": [{"addresses": ["10.9.9.9"]}], "ports": []}
            """)!.AsObject(), dryRun: false, force: true, CancellationToken.None);

        await mcs.ExportAsync("member-1", ns, "cart", 80, "10.1.0.1");
        await mcs.ExportAsync("member-2", ns, "cart", 80, "10.2.0.1", "10.2.0.2");
        var clock = Stopwatch.StartNew();
        const string both = "member-1=10.1.0.1 member-2=10.2.0.1,10.2.0.2";
        await Eventually.WaitAsync(async () =>
        {
            foreach (var m in mcs.Members)
                if (await mcs.ImportAsync(m, ns, "cart") is null || await mcs.SourcesAsync(m, ns, "cart") != both) return false;
            return true;
        }, Deadline, "the import and both clusters' slices on every member", () => mcs.DescribeAsync(ns, "cart"), TimeSpan.FromMilliseconds(20));
        var converged = clock.Elapsed;
        output.WriteLine($"second export → ServiceImport and both clusters' slices on all 3 members: {converged.TotalMilliseconds:0} ms");
        Assert.True(converged < TimeSpan.FromSeconds(2), $"took {converged.TotalMilliseconds:0} ms");

        var import = (await mcs.ImportAsync("member-3", ns, "cart"))!;
        Assert.Equal("ClusterSetIP", import["spec"]!["type"]!.GetValue<string>());
        Assert.Equal(80, import["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
        var copy = (await mcs.CopiesAsync("member-3", ns, "cart")).First(c => c["metadata"]!["name"]!.GetValue<string>() != "cart-by-hand");
        Assert.Equal("discovery.k8s.io/v1beta1", slices.GroupVersion); // what a 1.20 member serves, as discovered
        Assert.Equal(McsNames.SliceManager, copy["metadata"]!["labels"]![McsNames.ManagedByLabel]!.GetValue<string>());
        Assert.Null(copy["metadata"]!["labels"]![McsNames.LocalServiceNameLabel]); // never mixed into a local Service's endpoints
        await Eventually.WaitAsync(async () => MemberServices.Condition(await mcs.ExportStatusAsync("member-2", ns, "cart"), "Ready") == "True",
            Deadline, "member-2's export Ready");
        var exported = await mcs.ExportStatusAsync("member-2", ns, "cart");
        Assert.Equal("True", MemberServices.Condition(exported, "Valid"));
        Assert.Equal("False", MemberServices.Condition(exported, "Conflict"));

        // An endpoint change in member-1 reaches the copies in the others.
        clock.Restart();
        await mcs.SliceAsync("member-1", ns, "cart", "10.1.0.1", "10.1.0.7");
        await Eventually.WaitAsync(async () =>
        {
            foreach (var m in new[] { "member-2", "member-3" })
                if (!(await mcs.SourcesAsync(m, ns, "cart")).Contains("member-1=10.1.0.1,10.1.0.7")) return false;
            return true;
        }, Deadline, "the changed slice copied", () => mcs.DescribeAsync(ns, "cart"), TimeSpan.FromMilliseconds(10));
        output.WriteLine($"EndpointSlice change in member-1 → copies in member-2 and member-3: {clock.Elapsed.TotalMilliseconds:0} ms");

        // A newer export whose port "http" is another number: Conflict on it, the oldest's port in the import.
        await mcs.ExportAsync("member-3", ns, "cart", 8080, "10.3.0.1");
        await Eventually.WaitAsync(async () => MemberServices.Condition(await mcs.ExportStatusAsync("member-3", ns, "cart"), "Conflict") == "True",
            Deadline, "Conflict on member-3's export", async () => (await mcs.ExportStatusAsync("member-3", ns, "cart"))?["status"]?.ToJsonString() ?? "none");
        var conflicted = await mcs.ExportStatusAsync("member-3", ns, "cart");
        Assert.Equal("PortConflict", MemberServices.Condition(conflicted, "Conflict", "reason"));
        Assert.Contains("8080/TCP here but 80/TCP", MemberServices.Condition(conflicted, "Conflict", "message"));
        Assert.Equal("False", MemberServices.Condition(await mcs.ExportStatusAsync("member-1", ns, "cart"), "Conflict"));
        Assert.Equal(80, (await mcs.ImportAsync("member-1", ns, "cart"))!["spec"]!["ports"]![0]!["port"]!.GetValue<int>());

        // The CLI: fleet-wide get of both kinds, and per service who exports and imports it and why not.
        var exports = await CliRunner.RunAsync(fleet.Env, "get", "serviceexports", "-A");
        Assert.True(exports.ExitCode == 0, exports.Stderr);
        foreach (var m in mcs.Members) Assert.Matches($"(?m)^{m}\\s+{ns}\\s+cart\\s", exports.Stdout);
        var imports = await CliRunner.RunAsync(fleet.Env, "get", "serviceimports", "-A");
        Assert.Matches($"(?m)^member-3\\s+{ns}\\s+cart\\s+ClusterSetIP", imports.Stdout);
        await mcs.NamespaceAsync("member-1", "mcs-only-here");
        await mcs.ExportAsync("member-1", "mcs-only-here", "solo", 80, "10.1.0.5");
        await Eventually.WaitAsync(async () => await mcs.ImportAsync("member-1", "mcs-only-here", "solo") is not null, Deadline, "solo imported in member-1");
        var services = await CliRunner.RunAsync(fleet.Env, "services", "-A");
        output.WriteLine(services.Stdout);
        Assert.True(services.ExitCode == 0, services.Stderr);
        Assert.Matches($"(?m)^{ns}/cart\\s+fleet\\s+member-3\\s+yes\\s+yes\\s+imported; conflict \\(PortConflict\\)", services.Stdout);
        Assert.Matches("(?m)^mcs-only-here/solo\\s+fleet\\s+member-2\\s+no\\s+no\\s+namespace mcs-only-here does not exist here", services.Stdout);
        await mcs.UnexportAsync("member-1", "mcs-only-here", "solo");

        foreach (var m in mcs.Members) await mcs.UnexportAsync(m, ns, "cart");
        await Eventually.WaitAsync(async () =>
        {
            foreach (var m in mcs.Members)
                if (await mcs.ImportAsync(m, ns, "cart") is not null || (await mcs.CopiesAsync(m, ns, "cart")).Any(c => c["metadata"]!["name"]!.GetValue<string>() != "cart-by-hand"))
                    return false;
            return true;
        }, Deadline, "import and copies removed everywhere", () => mcs.DescribeAsync(ns, "cart"));
        Assert.Single(await mcs.CopiesAsync("member-3", ns, "cart")); // the hand-made slice is still there
    }
    [Fact]
    public async Task A_cluster_leaving_the_set_and_a_deleted_Service_take_their_endpoints_out_everywhere()
    {
        const string ns = "mcs-leave";
        await mcs.EnsureSetAsync();
        foreach (var m in mcs.Members) await mcs.NamespaceAsync(m, ns);
        await mcs.ExportAsync("member-1", ns, "api", 80, "10.1.0.1");
        await mcs.ExportAsync("member-2", ns, "api", 80, "10.2.0.1");
        const string both = "member-1=10.1.0.1 member-2=10.2.0.1";
        await Eventually.WaitAsync(async () => await mcs.SourcesAsync("member-3", ns, "api") == both && await mcs.SourcesAsync("member-2", ns, "api") == both,
            Deadline, "both exports copied", () => mcs.DescribeAsync(ns, "api"));

        // member-2 leaves the set: its endpoints leave the others, and what Flotilla wrote in it goes; its own export stays.
        await LabelAsync("member-2", "mcs-test-out", "true");
        try
        {
            await PatchSetAsync("""{"spec": {"clusterSelector": {"matchExpressions": [{"key": "mcs-test-out", "operator": "DoesNotExist"}]}}}""");
            await Eventually.WaitAsync(async () => await mcs.SourcesAsync("member-3", ns, "api") == "member-1=10.1.0.1"
                    && await mcs.SourcesAsync("member-1", ns, "api") == "member-1=10.1.0.1"
                    && await mcs.ImportAsync("member-2", ns, "api") is null && await mcs.SourcesAsync("member-2", ns, "api") == "",
                Deadline, "member-2 out of the set and of every import", () => mcs.DescribeAsync(ns, "api"));
            Assert.NotNull(await mcs.ExportStatusAsync("member-2", ns, "api")); // the user's export is not Flotilla's to remove

            // member-1's Service deleted: nothing exports api any more, so its copies and the imports go everywhere.
            await mcs.Client("member-1").DeleteAsync(McsResources.Service, ns, "api", CancellationToken.None);
            await Eventually.WaitAsync(async () =>
            {
                foreach (var m in new[] { "member-1", "member-3" })
                    if (await mcs.ImportAsync(m, ns, "api") is not null || await mcs.SourcesAsync(m, ns, "api") != "") return false;
                return true;
            }, Deadline, "the deleted Service's endpoints and the imports removed", () => mcs.DescribeAsync(ns, "api"));
            Assert.Equal("False", MemberServices.Condition(await mcs.ExportStatusAsync("member-1", ns, "api"), "Valid"));
        }
        finally
        {
            await LabelAsync("member-2", "mcs-test-out", null);
        }
    }

    [Fact]
    public async Task A_younger_set_over_the_same_clusters_holds_none_of_them_and_names_the_set_that_does()
    {
        const string younger = "mcs-younger";
        await mcs.EnsureSetAsync();
        await fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new k8s.Models.V1Patch(new JsonObject
            {
                ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = ClusterSetResource.KindName, ["metadata"] = new JsonObject { ["name"] = younger },
                ["spec"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["env"] = "dev" } } },
            }.ToJsonString(), k8s.Models.V1Patch.PatchType.ApplyPatch),
            FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, younger, fieldManager: "test", force: true);
        async Task<ClusterSetResource> YoungerAsync() => KubeJson.As<ClusterSetResource>(
            await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, younger));
        try
        {
            var dev = fleet.State.Members.Single(m => m.Labels.GetValueOrDefault("env") == "dev").Name;
            await Eventually.WaitAsync(async () => await YoungerAsync() is { Status: { } s } && s.Members is not { Count: > 0 }
                    && s.Excluded is [{ } e] && e.Name == dev && e.Reason.Contains($"already in ClusterSet {MemberServices.Set}"),
                Deadline, "the younger set excludes the dev member, naming the set that holds it", async () => KubernetesJson.Serialize((await YoungerAsync()).Status));
            Assert.Equal(mcs.Members.Length, (await mcs.SetAsync()).Status!.Members!.Count); // the older set keeps every member

            // The older set gone, the younger one is the oldest that matches: it takes its cluster.
            await mcs.DeleteSetAsync();
            await Eventually.WaitAsync(async () => await YoungerAsync() is { Status: { } s } && s.Members is [var only] && only == dev && s.Excluded is not { Count: > 0 },
                Deadline, "the younger set takes the dev member once the older set is gone", async () => KubernetesJson.Serialize((await YoungerAsync()).Status));
        }
        finally
        {
            await fleet.Hub.CustomObjects.DeleteClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, younger);
        }
    }

    private Task LabelAsync(string cluster, string key, string? value) =>
        fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(
            new k8s.Models.V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } }.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch),
            Flotilla.Kube.Api.FlotillaApi.Group, Flotilla.Kube.Api.FlotillaApi.Version, Flotilla.Kube.Api.FlotillaApi.ClusterPlural, cluster);

    private Task PatchSetAsync(string patch) =>
        fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new k8s.Models.V1Patch(patch, k8s.Models.V1Patch.PatchType.MergePatch),
            Flotilla.Kube.Api.FlotillaApi.Group, Flotilla.Kube.Api.FlotillaApi.Version, Flotilla.Kube.Api.ClusterSetResource.Plural, MemberServices.Set);
}
