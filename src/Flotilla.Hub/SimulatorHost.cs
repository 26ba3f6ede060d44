using Flotilla.Kube.Registry;
using Flotilla.Kube.Simulation;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub;

/// <summary>
/// Runs the workload status simulator on every registered member (local fleet only: its members have no
/// nodes). New members get one within a few seconds; each runs in isolation until the hub stops.
/// </summary>
public sealed class SimulatorHost(IKubernetes hub, MemberClients clients, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var registry = new ClusterRegistry(hub);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
        try
        {
            do
            {
                foreach (var cluster in await ListOrEmptyAsync(registry, ct))
                {
                    var name = cluster.Metadata.Name;
                    if (running.TryGetValue(name, out var task) && !task.IsCompleted) continue;
                    try
                    {
                        var client = await clients.GetAsync(cluster, ct);
                        var simulator = new WorkloadStatusSimulator(client, new WorkloadSimulatorOptions(), TimeProvider.System, logger, name);
                        running[name] = Task.Run(() => simulator.RunAsync(ct), ct);
                    }
                    catch (Exception e) when (e is InvalidCredentialsException or HttpRequestException or k8s.Autorest.HttpOperationException)
                    {
                        logger.LogWarning("workload simulator for {Cluster} not started: {Reason}", name, e.Message);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        finally
        {
            await Task.WhenAll(running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task<IReadOnlyList<Kube.Api.ClusterResource>> ListOrEmptyAsync(ClusterRegistry registry, CancellationToken ct)
    {
        try { return await registry.ListAsync(ct); }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            logger.LogWarning("listing clusters for the simulator failed: {Reason}", e.Message);
            return [];
        }
    }
}
