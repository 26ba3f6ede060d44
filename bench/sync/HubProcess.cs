using System.Diagnostics;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Bench.Sync;

/// <summary>A <c>flotilla hub run</c> process of the fleet, started once and killed with the fleet.</summary>
public sealed class HubProcess(LocalFleetState state, string dir, string logDir) : IAsyncDisposable
{
    private Process? _process;

    /// <summary>The running hub's pid, or null.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The running hub's API (leader, metrics, the bench's Bundle).</summary>
    public HubApi Api { get; private set; } = null!;

    /// <summary>Starts the hub when it is not running and waits until it leads.</summary>
    public async Task StartAsync()
    {
        if (Pid is not null) return;
        var port = FreePorts.Take(1)[0];
        _process = Shell.Start(Path.Combine(logDir, "hub.log"), HubOnlyEnvironment(), "dotnet", Path.Combine(AppContext.BaseDirectory, "flotilla.dll"), "hub", "run",
            "--hub-kubeconfig", state.KubeconfigPath, "--hub-context", state.Hub.Name, "--listen", $"127.0.0.1:{port}",
            "--data-dir", Path.Combine(dir, "hub-data"), "--allow-local-sources");
        Api = new HubApi(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, state.Hub.Name), port);
        await Api.WaitLeaderAsync();
    }

    /// <summary>
    /// The bench's variables named <c>BENCH_HUB_X</c>, as <c>X</c> for the hub alone: a runtime setting tried on the hub
    /// (e.g. <c>BENCH_HUB_DOTNET_GCgen0size</c>) must not change the baselines, which run in this process.
    /// </summary>
    private static Dictionary<string, string> HubOnlyEnvironment() => Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
        .Select(e => ((string)e.Key, (string?)e.Value ?? ""))
        .Where(e => e.Item1.StartsWith(HubOnlyPrefix, StringComparison.Ordinal) && e.Item1.Length > HubOnlyPrefix.Length)
        .ToDictionary(e => e.Item1[HubOnlyPrefix.Length..], e => e.Item2, StringComparer.Ordinal);

    private const string HubOnlyPrefix = "BENCH_HUB_";

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
    }
}
