using System.Collections.Concurrent;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;
using Flotilla.Kube.Watch;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Watches, on every available member, only the kinds Flotilla manages there (read from the inventories) and
/// only objects carrying Flotilla's label. A change to one of them queues its bundle at once, which corrects
/// drift (or reports it, per the bundle's mode) within a reconcile. A status-only change (a controller reporting
/// progress) queues it after a short delay that gathers the burst of them a rollout makes into one health refresh.
/// </summary>
public sealed partial class DriftWatcher(IKubernetes hub, MemberSyncClients members, WorkQueue<string> bundles, ILogger<DriftWatcher> logger)
{
    /// <summary>How long status-only changes are gathered before the bundle looks again.</summary>
    public static readonly TimeSpan HealthRefreshDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (CancellationTokenSource Stop, Task Loop)> _watches = new(StringComparer.Ordinal);
    private readonly WatchedChanges _changes = new();

    public async Task RunAsync(CancellationToken ct)
    {
        var registry = new ClusterRegistry(hub);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
        try
        {
            do
            {
                try
                {
                    foreach (var cluster in await registry.ListAsync(ct))
                    {
                        if (cluster.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") != true) continue;
                        try { await EnsureWatchesAsync(cluster, ct); }
                        catch (Exception e) when (e is HttpRequestException or KubeApiException or InvalidCredentialsException or OperationCanceledException && !ct.IsCancellationRequested)
                        {
                            WatchSetupFailed(logger, cluster.Metadata.Name, e.Message);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
                {
                    WatchSetupFailed(logger, "hub", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        finally
        {
            foreach (var (stop, _) in _watches.Values) stop.Cancel();
            await Task.WhenAll(_watches.Values.Select(w => w.Loop.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task EnsureWatchesAsync(ClusterResource cluster, CancellationToken ct)
    {
        // The sync's client for this member: its discovery cache is shared, not rebuilt on every tick.
        var member = await members.GetAsync(cluster, ct);
        var kinds = await InventoryStore.ManagedKindsAsync(member, ct);
        foreach (var (apiVersion, kind) in kinds)
        {
            var key = $"{cluster.Metadata.Name}/{apiVersion}/{kind}";
            if (_watches.ContainsKey(key)) continue;
            var resource = await member.ResourceForAsync(apiVersion, kind, ct);
            if (resource is null) continue;
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loop = new WatchLoop(new DynamicWatchSource(member, resource, $"{OwnershipLabels.ManagedBy}={OwnershipLabels.ManagedByValue}", metadataOnly: true),
                (type, obj) => { Changed(cluster.Metadata.Name, type, obj); return Task.CompletedTask; }, (d, t) => Task.Delay(d, t));
            _watches[key] = (stop, Task.Run(() => loop.RunAsync(stop.Token), stop.Token));
        }
    }

    private void Changed(string cluster, string type, System.Text.Json.Nodes.JsonObject obj)
    {
        var change = _changes.Classify(cluster, type, obj);
        if (change == WatchedChange.OwnWrite) return;
        var owner = obj["metadata"]?["labels"]?[OwnershipLabels.Bundle]?.GetValue<string>();
        var dot = owner?.IndexOf('.') ?? -1;
        if (owner is null || dot <= 0) return;
        var bundle = ObjectKey.Of(owner[..dot], owner[(dot + 1)..]);
        if (change == WatchedChange.StatusOnly) bundles.AddAfter(bundle, HealthRefreshDelay);
        else bundles.Add(bundle);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "drift watches on {Cluster} not set up: {Reason}")]
    private static partial void WatchSetupFailed(ILogger logger, string cluster, string reason);
}
