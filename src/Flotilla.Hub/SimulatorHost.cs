using Flotilla.Kube.LocalFleet;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Simulation;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub;

/// <summary>
/// Runs the workload status simulator on every registered member that the local fleet created (its members have no
/// nodes), and on no other: a cluster without the <see cref="LocalFleetMarker"/> is skipped, and said so once.
/// New members get one within a few seconds; each runs in isolation until the hub stops.
/// </summary>
public sealed class SimulatorHost(IKubernetes hub, MemberClients clients, ILogger logger)
{
    private readonly Dictionary<string, string> skipped = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken ct)
    {
        var running = new Dictionary<string, (k8s.Kubernetes Client, CancellationTokenSource Stop, Task Loop)>(StringComparer.Ordinal);
        var registry = new ClusterRegistry(hub);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
        try
        {
            do
            {
                var all = await ListOrEmptyAsync(registry, ct);
                foreach (var forgotten in skipped.Keys.Except(all.Select(c => c.Metadata.Name)).ToList()) skipped.Remove(forgotten);
                var listed = new List<Kube.Api.ClusterResource>();
                foreach (var cluster in all)
                {
                    if (LocalFleetMarker.WhyNotMarked(cluster) is { } unmarked) Skip(cluster.Metadata.Name, unmarked);
                    else listed.Add(cluster);
                }
                // Gone, or no longer marked as the local fleet's: its simulator stops.
                foreach (var gone in running.Keys.Except(listed.Select(c => c.Metadata.Name)).ToList())
                {
                    await running[gone].Stop.CancelAsync();
                    running.Remove(gone);
                }
                var servers = new HashSet<string>(StringComparer.Ordinal);
                foreach (var cluster in listed.OrderByDescending(c => running.ContainsKey(c.Metadata.Name)))
                {
                    var name = cluster.Metadata.Name;
                    // Only reachable clusters, and one simulator per API server (a member may be registered twice).
                    var available = cluster.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;
                    if (!available && !running.ContainsKey(name)) continue;
                    if (!servers.Add(cluster.Spec.Server ?? name) && !running.ContainsKey(name)) continue;
                    try
                    {
                        // A new client (rotated credentials) replaces the simulator that used the old one.
                        var client = await clients.GetAsync(cluster, ct);
                        if (running.TryGetValue(name, out var current) && !current.Loop.IsCompleted && ReferenceEquals(current.Client, client)) continue;
                        if (current.Stop is not null) await current.Stop.CancelAsync();
                        running.Remove(name);
                        if (LocalFleetMarker.WhyNot(cluster, await LocalFleetMarker.ReadMemberIdAsync(client, ct)) is { } foreign)
                        {
                            Skip(name, foreign);
                            continue;
                        }
                        skipped.Remove(name);
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        var simulator = new WorkloadStatusSimulator(client, new WorkloadSimulatorOptions(), TimeProvider.System, logger, name);
                        running[name] = (client, stop, Task.Run(() => simulator.RunAsync(stop.Token), stop.Token));
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
            foreach (var (_, stop, _) in running.Values) await stop.CancelAsync();
            await Task.WhenAll(running.Values.Select(r => r.Loop.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    /// <summary>Says once per cluster and reason that it gets no simulator.</summary>
    private void Skip(string cluster, string reason)
    {
        if (skipped.TryGetValue(cluster, out var said) && said == reason) return;
        skipped[cluster] = reason;
        logger.LogWarning("workload simulator skips cluster {Cluster}: {Reason}", cluster, reason);
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
