using System.Diagnostics;
using System.Net.Sockets;
using Flotilla.Cli.Commands;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// One real local fleet (hub + 3 members: etcd and kube-apiserver processes) for the whole test run, plus a
/// hub process (<c>flotilla hub run</c>) with default health settings. Torn down at the end.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    private readonly int members;

    public FleetFixture() : this(3) { }

    /// <summary>A fleet of <paramref name="members"/> members, for a test class that needs more than the shared three.</summary>
    protected FleetFixture(int members)
    {
        this.members = members;
        Directory = Path.Combine(Path.GetTempPath(), $"flotilla-it-{members}-{Environment.ProcessId}");
    }

    public string Directory { get; }
    public LocalFleetLauncher Launcher { get; private set; } = null!;
    public LocalFleetState State { get; private set; } = null!;
    public Kubernetes Hub { get; private set; } = null!;
    public Process HubProcess { get; private set; } = null!;
    public int HubPort { get; private set; }
    public string HubLog => Path.Combine(Directory, "hub-a.log");

    /// <summary>Environment for CLI runs: the fleet's kubeconfig and nothing from the developer's own.</summary>
    public Dictionary<string, string?> Env => new()
    {
        ["KUBECONFIG"] = State.KubeconfigPath,
        ["FLOTILLA_LOCAL_DIR"] = Directory,
        ["FLOTILLA_HUB_KUBECONFIG"] = null,
        ["FLOTILLA_HUB_CONTEXT"] = null,
    };

    public async Task InitializeAsync()
    {
        var bin = await KubeBinaries.EnsureAsync(CancellationToken.None);
        Launcher = new LocalFleetLauncher(Directory, TextWriter.Null);
        var clock = Stopwatch.StartNew();
        (State, _) = await Launcher.UpAsync(members, bin, CancellationToken.None);
        await LocalCommands.BootstrapAsync(State, CancellationToken.None);
        Console.WriteLine($"local fleet (hub + {members}) up in {clock.Elapsed.TotalSeconds:0.0}s");
        Hub = KubeClientFactory.FromUserKubeconfig(State.KubeconfigPath, State.Hub.Name);
        HubPort = FreePorts.Take(1)[0];
        StartHub();
    }

    /// <summary>Starts the hub process (identity <c>hub-a</c>, log <see cref="HubLog"/>); again after a test stopped it.</summary>
    public void StartHub() =>
        HubProcess = CliRunner.Start(Env, HubLog, "hub", "run", "--listen", $"127.0.0.1:{HubPort}", "--identity", "hub-a",
            "--data-dir", Path.Combine(Directory, "hub-data"), "--allow-local-sources", "--simulate-workloads");

    public Kubernetes Member(string name) =>
        KubeClientFactory.FromUserKubeconfig(State.KubeconfigPath, name);

    /// <summary>The hub process's /metrics page (throws while the hub is not listening yet).</summary>
    public async Task<string> HubMetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://127.0.0.1:{HubPort}/metrics");
    }

    /// <summary>Registers every member again as the fleet's bootstrap did (after a test removed one from the hub).</summary>
    public Task RejoinMembersAsync() => LocalCommands.BootstrapAsync(State, CancellationToken.None);

    /// <summary>Restarts every stopped process (after a test stopped a member).</summary>
    public async Task RestoreAsync() => State = await Launcher.StartStoppedAsync(Launcher.State!, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (HubProcess is { HasExited: false })
        {
            HubProcess.Kill(entireProcessTree: true);
            await HubProcess.WaitForExitAsync();
        }
        Hub?.Dispose();
        // Keep the hub's log for a post-mortem; the fleet directory itself is purged.
        if (File.Exists(HubLog)) File.Copy(HubLog, Path.Combine(Path.GetTempPath(), $"flotilla-it-{members}-hub.log"), overwrite: true);
        if (Launcher is not null) await Launcher.DownAsync(purge: Environment.GetEnvironmentVariable("FLOTILLA_KEEP_FLEET") is null, CancellationToken.None);
    }
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}
