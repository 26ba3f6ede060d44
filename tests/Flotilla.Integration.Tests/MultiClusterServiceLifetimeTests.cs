using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Services;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Endpoint lifetime and hub restarts on the real local fleet: a stopped member's endpoints stay for the grace and are
/// then withdrawn everywhere, and come back when it returns; a killed and restarted hub rebuilds from the members and
/// converges without deleting or recreating anything it wrote.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class MultiClusterServiceLifetimeTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly MemberServices mcs = new(fleet);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => mcs.DeleteSetAsync();

    private async Task ExportInTwoAsync(string ns, string name)
    {
        foreach (var m in mcs.Members) await mcs.NamespaceAsync(m, ns);
        await mcs.ExportAsync("member-1", ns, name, 80, "10.1.0.1");
        await mcs.ExportAsync("member-2", ns, name, 80, "10.2.0.1");
        await WaitSourcesAsync(ns, name, mcs.Members, $"member-1=10.1.0.1 member-2=10.2.0.1", "both clusters' slices everywhere");
    }

    private Task WaitSourcesAsync(string ns, string name, IEnumerable<string> on, string expected, string what) =>
        Eventually.WaitAsync(async () =>
        {
            foreach (var m in on)
                if (await mcs.SourcesAsync(m, ns, name) != expected) return false;
            return true;
        }, Deadline, what, () => mcs.DescribeAsync(ns, name), TimeSpan.FromMilliseconds(100));

    private async Task<string?> AvailableAsync(string cluster) =>
        KubeJson.As<ClusterResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster))
            .Status?.Conditions?.FirstOrDefault(c => c.Type == "Available")?.Status;

    private Task HealthCheckAsync(string cluster, JsonNode? healthCheck) =>
        fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["healthCheck"] = healthCheck } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster);

    /// <summary>Kills member-2's API server and waits until the hub holds it Unavailable (fleet.RestoreAsync brings it back).</summary>
    private async Task StopMember2Async()
    {
        var apiServer = fleet.Launcher.State!.Processes.Single(p => p.Name == "member-2-apiserver");
        using (var process = Process.GetProcessById(apiServer.Pid)) process.Kill();
        await Eventually.WaitAsync(async () => await AvailableAsync("member-2") == "False", Deadline, "member-2 Unavailable on the hub");
    }

    /// <summary>Why the set publishes or withdraws <paramref name="member"/>'s endpoints, from the ClusterSet's status.</summary>
    private async Task<string?> EndpointsReasonAsync(string member) =>
        (await mcs.SetAsync()).Status?.Endpoints?.FirstOrDefault(e => e.Name == member)?.Reason;

    [Fact]
    public async Task A_stopped_members_endpoints_stay_for_the_grace_are_then_withdrawn_and_return_with_it()
    {
        const string ns = "mcs-lifetime";
        await mcs.EnsureSetAsync(after: "5s", returnAfter: "2s");
        await ExportInTwoAsync(ns, "api");
        string[] others = ["member-1", "member-3"];
        // Probed every second and Unavailable after one failed second, so the test waits on the set's grace, not on the probe.
        await HealthCheckAsync("member-2", new JsonObject { ["intervalSeconds"] = 1, ["unreachableGraceSeconds"] = 1 });
        try
        {
            await StopMember2Async();
            var down = Stopwatch.StartNew();
            foreach (var m in others) Assert.Contains("member-2=10.2.0.1", await mcs.SourcesAsync(m, ns, "api")); // kept during the grace

            await WaitSourcesAsync(ns, "api", others, "member-1=10.1.0.1", "member-2's slices withdrawn from member-1 and member-3");
            output.WriteLine($"member-2's endpoints withdrawn {down.Elapsed.TotalSeconds:0.0}s after it was Unavailable (grace 5s)");
            // The condition's transition time has one-second resolution, and this test saw the transition a little late.
            Assert.True(down.Elapsed >= TimeSpan.FromSeconds(3), $"withdrawn after {down.Elapsed.TotalSeconds:0.0}s: no grace");
            await Eventually.WaitAsync(async () => (await EndpointsReasonAsync("member-2"))?.EndsWith("endpoints withdrawn", StringComparison.Ordinal) == true,
                Deadline, "the set's status naming the withdrawal");
            Assert.NotNull(await mcs.ImportAsync("member-3", ns, "api")); // member-1 still exports it
        }
        finally
        {
            await fleet.RestoreAsync();
        }
        await Eventually.WaitAsync(async () => await AvailableAsync("member-2") == "True", Deadline, "member-2 Available again");
        var back = Stopwatch.StartNew();
        await WaitSourcesAsync(ns, "api", mcs.Members, "member-1=10.1.0.1 member-2=10.2.0.1", "member-2's slices back everywhere");
        output.WriteLine($"member-2's endpoints back {back.Elapsed.TotalSeconds:0.0}s after it was Available again (damping 2s)");
        await HealthCheckAsync("member-2", null);
        foreach (var m in mcs.Members) await mcs.UnexportAsync(m, ns, "api");
    }

    [Fact]
    public async Task With_Keep_a_stopped_members_endpoints_are_never_withdrawn()
    {
        const string ns = "mcs-keep";
        await mcs.EnsureSetAsync(after: "2s", policy: "Keep"); // the grace is not used: Keep never withdraws
        await ExportInTwoAsync(ns, "api");
        await HealthCheckAsync("member-2", new JsonObject { ["intervalSeconds"] = 1, ["unreachableGraceSeconds"] = 1 });
        try
        {
            await StopMember2Async();
            // The hub decides on member-2's endpoints when it sees member-2 Unavailable, and says so in the set's status;
            // from then on Keep never withdraws them, so once the decision is there the copies must still be everywhere.
            await Eventually.WaitAsync(async () => await EndpointsReasonAsync("member-2") == "Unavailable; endpoints kept (staleEndpoints: Keep)",
                Deadline, "the set's status keeping member-2's endpoints");
            foreach (var m in new[] { "member-1", "member-3" })
                Assert.Equal("member-1=10.1.0.1 member-2=10.2.0.1", await mcs.SourcesAsync(m, ns, "api"));
        }
        finally
        {
            await fleet.RestoreAsync();
        }
        await Eventually.WaitAsync(async () => await AvailableAsync("member-2") == "True", Deadline, "member-2 Available again");
        await HealthCheckAsync("member-2", null);
        foreach (var m in mcs.Members) await mcs.UnexportAsync(m, ns, "api");
    }

    [Fact]
    public async Task A_killed_hub_rebuilds_from_the_members_and_converges_without_deleting_or_recreating_anything()
    {
        const string ns = "mcs-restart";
        await mcs.EnsureSetAsync();
        await ExportInTwoAsync(ns, "web");
        var watches = new List<RecordedWatch>();
        var versions = new Dictionary<string, string>();
        try
        {
            foreach (var m in mcs.Members)
            {
                var client = mcs.Client(m);
                var slices = await McsResources.EndpointSliceAsync(client, CancellationToken.None);
                var selector = $"{Flotilla.Core.Services.McsNames.ClusterSetLabel}={MemberServices.Set}";
                watches.Add(await RecordedWatch.StartAsync(client.Client, McsResources.ServiceImport, selector));
                watches.Add(await RecordedWatch.StartAsync(client.Client, slices, selector));
                versions[$"{m}/import"] = Version((await mcs.ImportAsync(m, ns, "web"))!);
                foreach (var copy in await mcs.CopiesAsync(m, ns, "web")) versions[$"{m}/{copy["metadata"]!["name"]}"] = Version(copy);
            }

            fleet.HubProcess.Kill(entireProcessTree: true);
            await fleet.HubProcess.WaitForExitAsync();
            fleet.StartHub();
            // A change only the new hub can carry over: once member-1's new endpoint is copied, it has rebuilt the service.
            await mcs.SliceAsync("member-1", ns, "web", "10.1.0.1", "10.1.0.9");
            await WaitSourcesAsync(ns, "web", mcs.Members, "member-1=10.1.0.1,10.1.0.9 member-2=10.2.0.1", "the restarted hub copies the change");

            var events = watches.SelectMany(w => w.Events).Where(e => e.Object["metadata"]?["namespace"]?.GetValue<string>() == ns).ToList();
            output.WriteLine($"events on Flotilla's objects across the restart: {string.Join(", ", events.Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}"))}");
            Assert.DoesNotContain(events, e => e.Type is "DELETED" or "ADDED");
            foreach (var m in mcs.Members)
            {
                Assert.Equal(versions[$"{m}/import"], Version((await mcs.ImportAsync(m, ns, "web"))!));
                foreach (var copy in await mcs.CopiesAsync(m, ns, "web"))
                    if (copy["metadata"]!["labels"]![Flotilla.Core.Services.McsNames.SourceClusterLabel]!.GetValue<string>() == "member-2")
                        Assert.Equal(versions[$"{m}/{copy["metadata"]!["name"]}"], Version(copy)); // untouched: nothing changed there
            }
        }
        finally
        {
            foreach (var watch in watches) await watch.DisposeAsync();
            if (fleet.HubProcess.HasExited) fleet.StartHub();
        }
        foreach (var m in mcs.Members) await mcs.UnexportAsync(m, ns, "web");
    }

    private static string Version(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();
}
