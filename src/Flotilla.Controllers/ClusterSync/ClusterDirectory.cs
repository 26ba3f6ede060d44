using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;
using Flotilla.Core.Placement;
using Flotilla.Kube.Api;
using Flotilla.Kube.Watch;
using k8s;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// The hub's registry of Clusters as a watch keeps it (no list per reconcile). Reports to <see cref="PlacementChanged"/>
/// when a cluster is added, removed, relabelled or (un)tainted, and to <see cref="BecameAvailable"/> when a cluster
/// turns Available again (its backed-off syncs start over at once), to <see cref="BecameUnavailable"/> when it stops
/// being Available (its pairs show that at once, not at their next sync). A Cluster being deleted is no longer placed
/// (every bundle removes itself from it) and is reported to <see cref="Leaving"/> on each change while it goes.
/// <see cref="PlaceableFacts"/> keeps what placement reads of each placeable cluster, one instance per cluster until
/// that cluster changes, so a bundle's placement can tell the changed clusters by reference and re-decide only those.
/// A Cluster deleted while the watch was down (a re-list after 410 no longer has it) is removed like a deleted one.
/// </summary>
public sealed class ClusterDirectory(IWatchSource clusters, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ClusterResource> _clusters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClusterFacts> _facts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RelistedKeys _relisted = new();
    private readonly Lock _factsLock = new();
    private IReadOnlyList<ClusterFacts>? _placeableFacts;

    public event Action? PlacementChanged;

    public event Action<string>? BecameAvailable;

    public event Action<string>? BecameUnavailable;

    public event Action<string>? Removed;

    /// <summary>A Cluster with a deletion timestamp changed (or was listed): its cleanup should be looked at.</summary>
    public event Action<string>? Leaving;

    /// <summary>Completes once the first list is in.</summary>
    public Task Ready => _listed.Task;

    public IReadOnlyList<ClusterResource> All => [.. _clusters.Values.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>The clusters bundles may be placed on: every registered one that is not being deleted.</summary>
    public IReadOnlyList<ClusterResource> Placeable => [.. All.Where(c => !IsLeaving(c))];

    public ClusterResource? Get(string name) => _clusters.GetValueOrDefault(name);

    /// <summary>
    /// What placement knows of every placeable cluster (<see cref="PlacementMapping.Facts"/>), in name order. A cluster's
    /// instance is replaced only when something placement reads of it changed (not on a heartbeat), and the list only
    /// when some cluster changed, joined or left.
    /// </summary>
    public IReadOnlyList<ClusterFacts> PlaceableFacts
    {
        get
        {
            lock (_factsLock)
            {
                return _placeableFacts ??= [.. Placeable.Select(c => _facts.GetOrAdd(c.Metadata.Name, _ => PlacementMapping.Facts(c, clock.GetUtcNow())))];
            }
        }
    }

    /// <summary>True once the Cluster is being deleted: no bundle syncs to it any more.</summary>
    public static bool IsLeaving(ClusterResource cluster) => cluster.Metadata.DeletionTimestamp is not null;

    /// <summary>
    /// True when the Cluster is being deleted without waiting for cleanup (no <see cref="FlotillaApi.CleanupFinalizer"/>,
    /// e.g. <c>--orphan</c> while another finalizer holds it): like a removed cluster, nothing is done there any more.
    /// </summary>
    public static bool IsOrphaned(ClusterResource cluster) =>
        IsLeaving(cluster) && cluster.Metadata.Finalizers?.Contains(FlotillaApi.CleanupFinalizer) != true;

    public static bool IsAvailable(ClusterResource cluster) =>
        cluster.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;

    public Task RunAsync(CancellationToken ct) =>
        new WatchLoop(clusters, (type, obj) => { Changed(type, obj); return Task.CompletedTask; }, (delay, token) => Task.Delay(delay, token),
            () => { Listed(); return Task.CompletedTask; }).RunAsync(ct);

    private void Listed()
    {
        // A Cluster a re-list no longer has was deleted while the watch was down: it is removed like a deleted one.
        foreach (var name in _relisted.Vanished(_clusters.Keys)) Gone(name);
        _listed.TrySetResult();
        PlacementChanged?.Invoke();
    }

    private void Gone(string name)
    {
        _clusters.TryRemove(name, out _);
        ForgetFacts(name);
        Removed?.Invoke(name);
    }

    private void Changed(string type, JsonObject obj)
    {
        var cluster = KubernetesJson.Deserialize<ClusterResource>(obj.ToJsonString());
        var name = cluster.Metadata.Name;
        if (type == "DELETED")
        {
            Gone(name);
            PlacementChanged?.Invoke();
            return;
        }
        if (type == "LISTED") _relisted.Listed(name);
        var before = _clusters.GetValueOrDefault(name);
        var placementChanged = before is null || Placement(before) != Placement(cluster);
        _clusters[name] = cluster;
        if (placementChanged) ForgetFacts(name);
        if (IsLeaving(cluster)) Leaving?.Invoke(name);
        if (type == "LISTED") return;
        if (placementChanged) PlacementChanged?.Invoke();
        if (before is not null && !IsAvailable(before) && IsAvailable(cluster)) BecameAvailable?.Invoke(name);
        if (before is not null && IsAvailable(before) && !IsAvailable(cluster)) BecameUnavailable?.Invoke(name);
    }

    private void ForgetFacts(string name)
    {
        lock (_factsLock)
        {
            _facts.TryRemove(name, out _);
            _placeableFacts = null;
        }
    }

    // Everything placement reads of a cluster (not its heartbeat): a change re-plans every bundle in memory.
    private static string Placement(ClusterResource c) =>
        $"{KubernetesJson.Serialize(c.Metadata.Labels ?? new Dictionary<string, string>())}|{KubernetesJson.Serialize(c.Spec.Taints ?? [])}|{IsLeaving(c)}"
        + $"|{KubernetesJson.Serialize(c.Spec.Properties ?? [])}|{IsAvailable(c)}|{c.Status?.KubernetesVersion}|{c.Status?.NodeCount}";
}
