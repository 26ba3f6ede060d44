using System.Diagnostics;
using Flotilla.Kube.Api;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Integration.Tests;

/// <summary>
/// SIGTERM ends <c>flotilla hub run</c> within 10 s: as the healthy leader (releasing the Lease, so the standby
/// takes over long before the 15 s Lease would expire) and when its hub API server does not answer.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class HubShutdownTests(FleetFixture fleet)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sigterm_ends_the_leading_hub_within_10s_and_releases_the_lease_to_the_standby()
    {
        var port = FreePorts.Take(1)[0];
        var standbyLog = Path.Combine(fleet.Directory, "hub-b.log");
        var standby = CliRunner.Start(fleet.Env, standbyLog, "hub", "run", "--listen", $"127.0.0.1:{port}", "--identity", "hub-b",
            "--data-dir", Path.Combine(fleet.Directory, "hub-b-data"), "--allow-local-sources", "--simulate-workloads");
        try
        {
            await Eventually.WaitAsync(async () => await HolderAsync() == "hub-a" && File.ReadAllText(standbyLog).Contains("waiting for the leader Lease"),
                TimeSpan.FromSeconds(60), "hub-a leads and hub-b is up");

            var (exit, took) = await TerminateAsync(fleet.HubProcess);
            Console.WriteLine($"leading hub-a exited {exit} {took.TotalSeconds:0.00}s after SIGTERM");
            Assert.True(took < Grace, $"hub-a took {took} to exit");
            Assert.Equal(0, exit);
            Assert.Contains(await HolderAsync(), new[] { "", "hub-b" });
            Assert.Contains("Released lease flotilla-system/flotilla-hub as hub-a", File.ReadAllText(fleet.HubLog));

            var handover = await Eventually.WaitAsync(async () => await HolderAsync() == "hub-b", LeaseDuration, "hub-b takes over");
            Console.WriteLine($"hub-b leads {handover.TotalSeconds:0.00}s after hub-a exited");
            Assert.True(handover < LeaseDuration - TimeSpan.FromSeconds(5), $"takeover took {handover}: the Lease was not released");
        }
        finally
        {
            // Hand the fleet back to hub-a, the hub every other test reads the log of.
            if (fleet.HubProcess.HasExited) fleet.StartHub();
            if (!standby.HasExited)
            {
                var (exit, took) = await TerminateAsync(standby);
                Console.WriteLine($"hub-b exited {exit} {took.TotalSeconds:0.00}s after SIGTERM");
                Assert.True(took < Grace, $"hub-b took {took} to exit");
            }
            await Eventually.WaitAsync(async () => await HolderAsync() == "hub-a", TimeSpan.FromSeconds(30), "hub-a leads again");
        }
    }

    [Fact]
    public async Task Sigterm_ends_a_hub_whose_api_server_does_not_answer_within_10s()
    {
        // A hub API server that accepts connections and never answers: the worst case for a campaign in flight.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(100);
        var kubeconfig = Path.Combine(fleet.Directory, "silent-hub.kubeconfig");
        var ca = await File.ReadAllTextAsync(fleet.State.CaPath);
        await File.WriteAllTextAsync(kubeconfig, LocalKubeconfig.Single("silent", $"https://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}", ca, "not-a-token"));
        var log = Path.Combine(fleet.Directory, "hub-silent.log");
        var hub = CliRunner.Start(fleet.Env, log, "hub", "run", "--hub-kubeconfig", kubeconfig, "--hub-context", "silent",
            "--listen", $"127.0.0.1:{FreePorts.Take(1)[0]}", "--identity", "hub-silent", "--data-dir", Path.Combine(fleet.Directory, "hub-silent-data"));
        var accepted = new List<System.Net.Sockets.TcpClient>();
        try
        {
            // It is campaigning: its first Lease request has reached the silent server.
            accepted.Add(await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(log).Contains("waiting for the leader Lease")), TimeSpan.FromSeconds(30), "hub up");

            var (exit, took) = await TerminateAsync(hub);
            Console.WriteLine($"hub with a silent API server exited {exit} {took.TotalSeconds:0.00}s after SIGTERM");
            Assert.True(took < Grace, $"took {took} to exit");
            Assert.Equal(0, exit);
        }
        finally
        {
            if (!hub.HasExited) hub.Kill(entireProcessTree: true);
            foreach (var c in accepted) c.Dispose();
        }
    }

    private static async Task<(int Exit, TimeSpan Took)> TerminateAsync(Process process)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(Grace * 3);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, clock.Elapsed);
    }

    /// <summary>The Lease's holder; null before any hub created it (this test may run first, while hub-a still campaigns).</summary>
    private async Task<string?> HolderAsync()
    {
        try { return (await fleet.Hub.CoordinationV1.ReadNamespacedLeaseAsync("flotilla-hub", FlotillaApi.SystemNamespace)).Spec?.HolderIdentity; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }
}
