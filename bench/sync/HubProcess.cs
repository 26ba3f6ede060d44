using System.Diagnostics;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Bench.Sync;

/// <summary>
/// A <c>flotilla hub run</c> process of the fleet, started and stopped (SIGTERM, which releases the leader Lease)
/// on demand: the baselines run with no hub at all, so its watches, probes and CPU cost them nothing.
/// </summary>
public sealed class HubProcess(LocalFleetState state, string dir, string logDir) : IAsyncDisposable
{
    private Process? _process;
    private int _starts;

    /// <summary>The running hub's pid, or null.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The running hub's API (leader, metrics, the bench's Bundle).</summary>
    public HubApi Api { get; private set; } = null!;

    /// <summary>When the running hub was started.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Starts the hub when it is not running and waits until it leads.</summary>
    public async Task StartAsync()
    {
        if (Pid is not null) return;
        var port = FreePorts.Take(1)[0];
        StartedAt = DateTimeOffset.UtcNow;
        _process = Shell.Start(Path.Combine(logDir, $"hub-{++_starts}.log"), "dotnet", Path.Combine(AppContext.BaseDirectory, "flotilla.dll"), "hub", "run",
            "--hub-kubeconfig", state.KubeconfigPath, "--hub-context", state.Hub.Name, "--listen", $"127.0.0.1:{port}",
            "--data-dir", Path.Combine(dir, "hub-data"), "--allow-local-sources");
        Api = new HubApi(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, state.Hub.Name), port);
        await Api.WaitLeaderAsync();
    }

    /// <summary>Stops the hub with SIGTERM (killed after 15 s if it has not ended).</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } p) return;
        await Shell.RunAsync("kill", "-TERM", p.Id.ToString());
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await p.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
    }
}
