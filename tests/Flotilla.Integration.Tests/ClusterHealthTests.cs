using System.Net.Http.Json;
using System.Text.Json;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;

namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class ClusterHealthTests(FleetFixture fleet)
{
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

    [Fact]
    public async Task A_wrong_token_is_AuthFailed_not_Unreachable()
    {
        var member = fleet.State.Members.First();
        var kubeconfig = Kube.LocalFleet.LocalKubeconfig.Single("bad-token", member.Server, await File.ReadAllTextAsync(fleet.State.CaPath), "not-a-valid-token");
        var file = Path.Combine(fleet.Directory, "bad-token.kubeconfig");
        await File.WriteAllTextAsync(file, kubeconfig);
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "bad-token", "--kubeconfig", file, "--context", "bad-token");
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
    public async Task Only_one_of_two_hub_processes_holds_the_lease_and_writes()
    {
        var portB = Kube.LocalFleet.FreePorts.Take(1)[0];
        using var hubB = CliRunner.Start(fleet.Env, Path.Combine(fleet.Directory, "hub-b.log"), "hub", "run", "--listen", $"127.0.0.1:{portB}", "--identity", "hub-b");
        try
        {
            using var http = new HttpClient();
            async Task<(bool Leader, long Writes)> Read(int port)
            {
                var leader = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/leader");
                var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                var writes = long.Parse(metrics.Split('\n').Single(l => l.StartsWith("flotilla_status_writes_total ")).Split(' ')[1]);
                return (leader.GetProperty("leader").GetBoolean(), writes);
            }
            await Eventually.WaitAsync(async () => { try { await Read(portB); return true; } catch (HttpRequestException) { return false; } },
                TimeSpan.FromSeconds(60), "hub-b serving");
            await Eventually.WaitAsync(async () => (await Read(fleet.HubPort)).Writes > 0, TimeSpan.FromSeconds(60), "hub-a writing status");
            var writesA = (await Read(fleet.HubPort)).Writes;
            // hub-b must keep waiting through several lease renewals and probe intervals.
            await Eventually.WaitAsync(async () => (await Read(fleet.HubPort)).Writes >= writesA + 6, TimeSpan.FromSeconds(60), "hub-a keeps writing");
            var a = await Read(fleet.HubPort);
            var b = await Read(portB);
            Assert.True(a.Leader);
            Assert.False(b.Leader);
            Assert.Equal(0, b.Writes);
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
