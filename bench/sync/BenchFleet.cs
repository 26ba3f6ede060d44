using Flotilla.Cli.Commands;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Bench.Sync;

/// <summary>
/// A local fleet started for one benchmark (CRDs installed, members registered), with its hub process and the
/// members' own request counters; disposing stops the hub and purges the fleet, also after a failure.
/// </summary>
public sealed class BenchFleet : IAsyncDisposable
{
    private readonly LocalFleetLauncher _launcher;

    private BenchFleet(string dir, LocalFleetLauncher launcher) => (Dir, _launcher) = (dir, launcher);

    public string Dir { get; }
    public LocalFleetState State { get; private set; } = null!;
    public string Bin { get; private set; } = "";
    public HubProcess Hub { get; private set; } = null!;
    public MemberMetrics Metrics { get; private set; } = null!;
    public Settle Settle { get; private set; } = null!;

    /// <summary>Every API server of the fleet, the hub's too (for their garbage collection before each run).</summary>
    public MemberMetrics ApiServers { get; private set; } = null!;
    public IReadOnlyList<string> Members => [.. State.Members.Select(m => m.Name)];

    public static async Task<BenchFleet> UpAsync(int members)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-{Environment.ProcessId}");
        var fleet = new BenchFleet(dir, new LocalFleetLauncher(Path.Combine(dir, "fleet"), TextWriter.Null) { Profiling = true });
        try
        {
            fleet.Bin = await KubeBinaries.EnsureAsync(CancellationToken.None);
            (fleet.State, _) = await fleet._launcher.UpAsync(members, fleet.Bin, CancellationToken.None);
            await LocalCommands.BootstrapAsync(fleet.State, CancellationToken.None);
            // The hub's logs outlive the fleet, for a failed run to be read.
            var logs = Directory.CreateDirectory(dir + "-logs").FullName;
            Console.WriteLine($"hub logs: {logs}");
            fleet.Hub = new HubProcess(fleet.State, dir, logs);
            fleet.Metrics = new MemberMetrics(fleet.State);
            fleet.ApiServers = new MemberMetrics(fleet.State, withHub: true);
            fleet.Settle = new Settle(fleet.Processes, fleet.ApiServers.CollectGarbageAsync);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>This benchmark's processes by group: its fleet, its hub and itself (not other work on the machine).</summary>
    public IReadOnlyDictionary<int, string> Processes()
    {
        var groups = new Dictionary<int, string> { [Environment.ProcessId] = "driver", [State.Etcd.Pid] = "etcd" };
        foreach (var c in State.Clusters)
            (groups[c.ApiServer.Pid], groups[c.ControllerManager.Pid]) = (c.Name == State.Hub.Name ? "hub apiserver" : "member apiservers", "controller-managers");
        if (Hub.Pid is { } hub) groups[hub] = "hub";
        return groups;
    }

    public async ValueTask DisposeAsync()
    {
        if (Hub is not null) await Hub.DisposeAsync();
        Metrics?.Dispose();
        ApiServers?.Dispose();
        await _launcher.DownAsync(purge: true, CancellationToken.None);
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
