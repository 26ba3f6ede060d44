using System.Net.Http.Json;
using System.Text.Json;
using Flotilla.Bench.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class ClusterHealthTests(FleetFixture fleet, ITestOutputHelper output)
{
    private static readonly string[] Members = ["member-1", "member-2", "member-3"];
    private async Task<(string Status, string? Reason)> AvailableAsync(string cluster)
    {
        var c = await new ClusterRegistry(fleet.Hub).GetAsync(cluster, CancellationToken.None);
        var a = c?.Status?.Conditions?.FirstOrDefault(x => x.Type == "Available");
        return (a?.Status ?? "None", a?.Reason);
    }

    [Fact]
    public async Task Killed_member_becomes_unreachable_within_45s_while_others_stay_available_and_recovers_after_restart()
    {
        await Eventually.WaitAsync(async () => (await AvailableAsync("member-2")).Status == "True", TimeSpan.FromSeconds(60), "member-2 Available before the kill");
        await fleet.Launcher.StopProcessAsync("member-2-apiserver", CancellationToken.None);
        try
        {
            var took = await Eventually.WaitAsync(async () => await AvailableAsync("member-2") == ("False", "Unreachable"),
                TimeSpan.FromSeconds(45), "member-2 Unreachable");
            Console.WriteLine($"member-2 marked Unreachable {took.TotalSeconds:0.0}s after its apiserver was killed");
            Assert.Equal(("True", "Ready"), await AvailableAsync("member-1"));
            Assert.Equal(("True", "Ready"), await AvailableAsync("member-3"));
        }
        finally
        {
            await fleet.RestoreAsync();
        }
        await Eventually.WaitAsync(async () => (await AvailableAsync("member-2")).Status == "True", TimeSpan.FromSeconds(30), "member-2 Available again");
        var recovered = await new ClusterRegistry(fleet.Hub).GetAsync("member-2", CancellationToken.None);
        Assert.StartsWith("v1.20", recovered!.Status!.KubernetesVersion);
    }

    /// <summary><c>cluster join</c> of the first member under <paramref name="name"/> with a token its API server refuses.</summary>
    private async Task<CliResult> JoinWithWrongTokenAsync(string name)
    {
        var member = fleet.State.Members.First();
        var file = Path.Combine(fleet.Directory, $"{name}.kubeconfig");
        await File.WriteAllTextAsync(file, Kube.LocalFleet.LocalKubeconfig.Single(name, member.Server, await File.ReadAllTextAsync(fleet.State.CaPath), "not-a-valid-token"));
        return await CliRunner.RunAsync(fleet.Env, "cluster", "join", name, "--kubeconfig", file, "--context", name);
    }

    [Fact]
    public async Task A_wrong_token_is_AuthFailed_not_Unreachable()
    {
        var join = await JoinWithWrongTokenAsync("bad-token");
        Assert.True(join.ExitCode == 0, join.ToString());
        Assert.Contains("AuthFailed", join.Stderr); // join probes first and warns
        try
        {
            await Eventually.WaitAsync(async () => await AvailableAsync("bad-token") == ("False", "AuthFailed"), TimeSpan.FromSeconds(30), "bad-token AuthFailed");
            var list = await CliRunner.RunAsync(fleet.Env, "cluster", "list");
            Assert.Matches(@"bad-token\s+<none>\s+AuthFailed", list.Stdout);
            Assert.DoesNotContain("not-a-valid-token", list.Stdout + list.Stderr + join.Stdout + join.Stderr);
        }
        finally
        {
            await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "bad-token", "--orphan");
        }
    }

    [Fact]
    public async Task A_status_write_built_from_a_stale_read_is_refused_and_the_condition_written_in_between_stays()
    {
        // A Cluster the hub records once (AuthFailed) and then leaves alone: no heartbeat to write.
        var join = await JoinWithWrongTokenAsync("status-race");
        Assert.True(join.ExitCode == 0, join.ToString());
        try
        {
            await Eventually.WaitAsync(async () => await AvailableAsync("status-race") == ("False", "AuthFailed"), TimeSpan.FromSeconds(30), "status-race AuthFailed");
            var registry = new ClusterRegistry(fleet.Hub);
            var stale = (await registry.GetAsync("status-race", CancellationToken.None))!;

            // Another controller adds its condition (as the cleanup adds Removing) after that read.
            var marker = new { type = "TestMarker", status = "True", reason = "Written", message = "between the read and the write" };
            var conditions = stale.Status!.Conditions!.Select(c => (object)new { type = c.Type, status = c.Status, reason = c.Reason, message = c.Message }).Append(marker);
            await fleet.Hub.CustomObjects.PatchClusterCustomObjectStatusAsync(new V1Patch(JsonSerializer.Serialize(new { status = new { conditions } }), V1Patch.PatchType.MergePatch),
                FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "status-race");

            // The health write as built from the stale read: refused, and the marker is kept.
            var statusAsRead = new ClusterStatus { ObservedGeneration = stale.Status.ObservedGeneration, LastProbeError = "stale write", Conditions = stale.Status.Conditions };
            var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => fleet.Hub.CustomObjects.PatchClusterCustomObjectStatusAsync(
                StatusPatch.Replace(statusAsRead, stale.Metadata.ResourceVersion), FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "status-race"));
            Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.Response.StatusCode);
            var now = (await registry.GetAsync("status-race", CancellationToken.None))!;
            Assert.Contains(now.Status!.Conditions!, c => c.Type == "TestMarker");
            Assert.NotEqual("stale write", now.Status.LastProbeError);

            // Made again from a fresh read, the same write goes through (the precondition is a form v1.20 accepts).
            var written = "";
            await Eventually.WaitAsync(async () =>
            {
                var fresh = (await registry.GetAsync("status-race", CancellationToken.None))!;
                var status = new ClusterStatus { ObservedGeneration = fresh.Status!.ObservedGeneration, LastProbeError = "fresh write", Conditions = fresh.Status.Conditions };
                try
                {
                    written = JsonSerializer.Serialize(await fleet.Hub.CustomObjects.PatchClusterCustomObjectStatusAsync(StatusPatch.Replace(status, fresh.Metadata.ResourceVersion),
                        FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "status-race"));
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { return false; } // the hub wrote in between
            }, TimeSpan.FromSeconds(10), "a write from a fresh read");
            Assert.Contains("fresh write", written);
            Assert.Contains("TestMarker", written);
        }
        finally
        {
            await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "status-race", "--orphan");
        }
    }

    /// <summary>The hub's Ready probes so far, from its /metrics.</summary>
    private static double ReadyProbes(string metrics) => MetricsPage.Sum(metrics, "flotilla_cluster_probes_total", "outcome=\"Ready\"");

    [Fact]
    public async Task A_healthy_member_is_probed_at_every_interval_but_its_status_is_written_only_when_a_heartbeat_is_due_and_its_credentials_are_not_read_again()
    {
        foreach (var member in Members)
            await Eventually.WaitAsync(async () => (await AvailableAsync(member)).Status == "True", TimeSpan.FromSeconds(60), $"{member} Available");
        // What the hub's own API server counted (its apiserver_request_total). GETs that found a Cluster, in JSON: the hub
        // cluster's own garbage collector reads Clusters too (as protobuf metadata, for the credentials Secrets they own),
        // and a probe due for a cluster an earlier test removed finds it gone (404).
        // GETs of a Secret in JSON: the members' credentials (the hub cluster's own controllers read Secrets as protobuf).
        using var hubApiServer = new MemberMetrics(fleet.State, withHub: true);
        async Task<(double Writes, double Reads, double SecretReads)> CountsAsync()
        {
            var page = await hubApiServer.PageAsync(fleet.State.Hub.Name);
            const string Requests = "apiserver_request_total", Clusters = "resource=\"clusters\"", Json = "contentType=\"application/json\"";
            return (MetricsPage.Sum(page, Requests, Clusters, "verb=\"PATCH\"", "subresource=\"status\""),
                MetricsPage.Sum(page, Requests, Clusters, "verb=\"GET\"", "code=\"200\"", Json),
                MetricsPage.Sum(page, Requests, "resource=\"secrets\"", "verb=\"GET\"", Json));
        }
        var probes = ReadyProbes(await fleet.HubMetricsAsync());
        var before = await CountsAsync();
        // Two probes of each member at the hub's 10 s interval: at the old rate, two status writes each and a GET before each.
        var window = await Eventually.WaitAsync(async () => ReadyProbes(await fleet.HubMetricsAsync()) >= probes + 2 * Members.Length,
            TimeSpan.FromSeconds(60), "two probes of each member");
        var after = await CountsAsync();
        var (writes, reads, secretReads) = (after.Writes - before.Writes, after.Reads - before.Reads, after.SecretReads - before.SecretReads);
        output.WriteLine($"{Members.Length} members probed {ReadyProbes(await fleet.HubMetricsAsync()) - probes} times in {window.TotalSeconds:0.0}s: "
            + $"{writes} status writes, {reads} GETs of a Cluster, {secretReads} GETs of a Secret");
        // A heartbeat is recorded once a minute while nothing changes: at most once per member in a window this short,
        // each after a GET; the probe reads the Cluster from the hub's watch.
        Assert.InRange(writes, 0, Members.Length);
        Assert.InRange(reads, 0, writes);
        // Each probe uses the member's client; its credentials are checked against the watch of their versions, not read
        // (before, once per member every 10 s: 100 reads a second at 1,000 members).
        Assert.Equal(0, secretReads);
        foreach (var member in Members)
        {
            var beat = (await new ClusterRegistry(fleet.Hub).GetAsync(member, CancellationToken.None))!.Status!.LastHeartbeatTime!.Value;
            // Recorded once a minute, after a probe every 10 s (5 s deadline), in whole seconds, on a loaded machine.
            Assert.InRange(DateTimeOffset.UtcNow - beat, TimeSpan.Zero, TimeSpan.FromSeconds(90));
        }
    }

    [Fact]
    public async Task Only_one_of_two_hub_processes_holds_the_lease_and_writes()
    {
        var portB = Kube.LocalFleet.FreePorts.Take(1)[0];
        using var hubB = CliRunner.Start(fleet.Env, Path.Combine(fleet.Directory, "hub-b.log"), "hub", "run", "--listen", $"127.0.0.1:{portB}", "--identity", "hub-b");
        try
        {
            using var http = new HttpClient();
            async Task<(bool Leader, long Writes, double Probes)> Read(int port)
            {
                var leader = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/leader");
                var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                var writes = long.Parse(metrics.Split('\n').Single(l => l.StartsWith("flotilla_status_writes_total ")).Split(' ')[1]);
                return (leader.GetProperty("leader").GetBoolean(), writes, MetricsPage.Sum(metrics, "flotilla_cluster_probes_total"));
            }
            await Eventually.WaitAsync(async () => { try { await Read(portB); return true; } catch (HttpRequestException) { return false; } },
                TimeSpan.FromSeconds(60), "hub-b serving");
            await Eventually.WaitAsync(async () => (await Read(fleet.HubPort)).Probes > 0, TimeSpan.FromSeconds(60), "hub-a probing");
            var probesA = (await Read(fleet.HubPort)).Probes;
            // hub-b must keep waiting through several lease renewals and probe intervals.
            await Eventually.WaitAsync(async () => (await Read(fleet.HubPort)).Probes >= probesA + 6, TimeSpan.FromSeconds(60), "hub-a keeps probing");
            var a = await Read(fleet.HubPort);
            var b = await Read(portB);
            Assert.True(a.Leader);
            Assert.False(b.Leader);
            Assert.Equal((0L, 0.0), (b.Writes, b.Probes));
            var lease = await fleet.Hub.CoordinationV1.ReadNamespacedLeaseAsync("flotilla-hub", FlotillaApi.SystemNamespace);
            Assert.Equal("hub-a", lease.Spec.HolderIdentity);
        }
        finally
        {
            hubB.Kill(entireProcessTree: true);
            await hubB.WaitForExitAsync();
        }
    }
}
