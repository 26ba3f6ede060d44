using System.CommandLine;
using System.Diagnostics;
using Flotilla.Cli.Output;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using Flotilla.Kube.Registry;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla local up|status|down</c>: the local fleet of real control planes.</summary>
public static class LocalCommands
{
    private static readonly Option<string> DirOption = new("--dir")
    {
        Description = "Fleet directory: state, certificates, data, logs, kubeconfig (default: $FLOTILLA_LOCAL_DIR or ~/.flotilla/local)",
        DefaultValueFactory = _ => LocalFleetDirectory.Default,
        Recursive = true,
    };

    public static Command Create()
    {
        var local = new Command("local", "Run a fleet of real Kubernetes control planes on this machine (etcd + kube-apiservers as processes)");
        local.Add(DirOption);
        local.Add(Up());
        local.Add(Status());
        local.Add(Down());
        return local;
    }

    private static Command Up()
    {
        var members = new Option<int>("--members") { Description = "Number of member clusters", DefaultValueFactory = _ => 3 };
        var withHub = new Option<bool>("--with-hub") { Description = "Also run 'flotilla hub run' in the background as part of the fleet (stopped by 'local down')" };
        var up = new Command("up", "Start the hub and N members (a no-op when they already run), install the CRDs and register the members") { members, withHub };
        up.SetAction(async (r, ct) =>
        {
            var launcher = new LocalFleetLauncher(r.GetValue(DirOption)!, Console.Out);
            var clock = Stopwatch.StartNew();
            var bin = await KubeBinaries.EnsureAsync(ct);
            var (state, started) = await launcher.UpAsync(r.GetValue(members), bin, ct);
            // Idempotent (server-side apply): also finishes a bootstrap an earlier 'up' could not complete.
            await BootstrapAsync(state, ct);
            if (r.GetValue(withHub) && state.HubController is null) state = launcher.StartHubController(state, HubProcess(state));
            if (!started)
            {
                Console.WriteLine($"local fleet already running in {state.Directory} (hub + {state.Members.Count()} members)");
                PrintWhere(state);
                return 0;
            }
            Console.WriteLine($"local fleet up in {clock.Elapsed.TotalSeconds:0.0}s");
            PrintWhere(state);
            return 0;
        });
        return up;
    }

    /// <summary>
    /// Installs the CRDs on the hub and registers every member as a Cluster with its example labels, each marked
    /// (on the Cluster and inside the member) as the local fleet's: only such members get the workload simulator.
    /// </summary>
    public static async Task BootstrapAsync(LocalFleetState state, CancellationToken ct)
    {
        using var hub = KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, state.Hub.Name);
        await CrdInstaller.InstallAsync(hub, TimeSpan.FromSeconds(60), ct);
        await LocalViewerRole.ApplyAsync(hub, ct);
        var registry = new ClusterRegistry(hub);
        var ca = await File.ReadAllTextAsync(state.CaPath, ct);
        var fleetId = LocalFleetMarker.FleetId(ca);
        foreach (var member in state.Members)
        {
            using (var client = KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, member.Name))
                await LocalFleetMarker.MarkMemberAsync(client, fleetId, ct);
            var kubeconfig = LocalKubeconfig.Single(member.Name, member.Server, ca, member.AdminToken);
            var labels = member.Labels.Select(l => new LabelChange(l.Key, l.Value)).ToList();
            await registry.JoinAsync(member.Name, kubeconfig, member.Server, labels, [], [], ct,
                new Dictionary<string, string> { [LocalFleetMarker.Annotation] = fleetId });
        }
    }

    private static LocalProcess HubProcess(LocalFleetState state)
    {
        // Under `dotnet flotilla.dll` the hub runs as the same dll; as an apphost or a single-file release binary, as itself.
        var self = Environment.ProcessPath ?? "/usr/bin/dotnet";
        string[] dll = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [Path.Combine(AppContext.BaseDirectory, "flotilla.dll")] : [];
        return new LocalProcess("flotilla-hub-controller", DetachedProcess.ResolveExecutable(self),
            [.. dll, "hub", "run", "--hub-kubeconfig", state.KubeconfigPath, "--hub-context", state.Hub.Name, "--listen", $"127.0.0.1:{FreePorts.Take(1)[0]}",
             "--data-dir", Path.Combine(state.Directory, "hub-data"), "--allow-local-sources", "--simulate-workloads"],
            Path.Combine(state.Directory, "logs", "hub.log"), 0);
    }

    private static void PrintWhere(LocalFleetState state)
    {
        Console.WriteLine($"kubeconfig: {state.KubeconfigPath} (contexts: {string.Join(", ", state.Clusters.Select(c => c.Name))})");
        Console.WriteLine($"  export KUBECONFIG={state.KubeconfigPath}");
        if (state.HubController is not { } hub) return;
        var listen = hub.Arguments[hub.Arguments.ToList().IndexOf("--listen") + 1];
        // Tokens go to private files, never on the terminal or in a URL.
        var admin = Path.Combine(state.Directory, "dashboard-admin.token");
        var viewer = Path.Combine(state.Directory, "dashboard-viewer.token");
        LocalCertificateAuthority.WritePrivate(admin, state.Hub.AdminToken + "\n");
        LocalCertificateAuthority.WritePrivate(viewer, state.Hub.ViewerToken + "\n");
        Console.WriteLine($"dashboard: http://{listen}/ (log in with the token in {admin}; read-only: {viewer})");
    }

    private static Command Status()
    {
        var status = new Command("status", "Show each process of the local fleet and whether it is running and ready");
        status.SetAction(async (r, ct) =>
        {
            var launcher = new LocalFleetLauncher(r.GetValue(DirOption)!, Console.Out);
            if (launcher.State is null)
            {
                Console.Error.WriteLine($"error: no local fleet in {launcher.Directory} (run 'flotilla local up')");
                return 1;
            }
            var rows = await launcher.StatusAsync(ct);
            TableWriter.Write(Console.Out, ["NAME", "ROLE", "PID", "STATE", "READY", "LOG"], rows.Select(s => (IReadOnlyList<string>)
            [
                s.Process.Name, s.Role, s.Process.Pid.ToString(), s.Running ? "Running" : "Stopped",
                s.Ready switch { true => "True", false => "False", null => "-" }, s.Process.LogPath,
            ]));
            return rows.All(s => s.Running && s.Ready != false) ? 0 : 3;
        });
        return status;
    }

    private static Command Down()
    {
        var purge = new Option<bool>("--purge") { Description = "Also delete the fleet directory (etcd data, certificates, kubeconfig)" };
        var down = new Command("down", "Stop the processes this fleet started (by pid; nothing else is touched)") { purge };
        down.SetAction(async (r, ct) =>
        {
            var launcher = new LocalFleetLauncher(r.GetValue(DirOption)!, Console.Out);
            var stopped = await launcher.DownAsync(r.GetValue(purge), ct);
            Console.WriteLine($"stopped {stopped} processes{(r.GetValue(purge) ? $", removed {launcher.Directory}" : "")}");
            return 0;
        });
        return down;
    }
}
