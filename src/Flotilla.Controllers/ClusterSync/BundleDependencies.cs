using System.Collections.Concurrent;
using System.Collections.Immutable;
using Flotilla.Core.Dependencies;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// The <c>dependsOn</c> edges of every Bundle on the hub (in memory, kept by the bundle reconciles; loaded whole once at
/// start, so a dependent that is deleted before its dependency after a hub restart is still waited for), and what the
/// pair workers need from them: each bundle's <see cref="DependencyObservation"/> on a cluster, from the targets and the
/// latest results, and which pairs a pair's new result may release. A change of edges asks, through
/// <paramref name="reconcileBundle"/>, for a reconcile of every bundle whose cycle or dependencies it may change; any
/// change of what a dependency looks like to its dependents (its edges, suspension, deletion, or its target's intents,
/// revisions or problem) queues, through <paramref name="queuePair"/>, the dependents' pairs it holds back, so the reason
/// they show is current.
/// </summary>
public sealed class BundleDependencies(BundleTargets targets, SyncResults results, Action<string> reconcileBundle, Action<string> queuePair)
{
    /// <summary>What the graph keeps of a Bundle: its edges, and what a dependency's readiness or a removal's order needs before its first reconcile.</summary>
    private sealed record Node(ImmutableArray<string> DependsOn, bool Suspended, bool Deleting, ImmutableHashSet<string> StatusClusters);

    private readonly ConcurrentDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile bool _loaded;
    private volatile DependencyGraph? _graph;

    /// <summary>The current graph (rebuilt after an edge changes; a few hundred bundles take microseconds).</summary>
    public DependencyGraph Graph => _graph ?? Build();

    /// <summary>The keys <paramref name="bundle"/> depends on, in declared order (a missing namespace is the bundle's own).</summary>
    public static ImmutableArray<string> KeysOf(BundleResource bundle) =>
        [.. (bundle.Spec.DependsOn ?? []).Select(d => ObjectKey.Of(string.IsNullOrEmpty(d.Namespace) ? bundle.Metadata.NamespaceProperty : d.Namespace, d.Name))];

    /// <summary>Lists every Bundle once, so the graph is whole before the first decision.</summary>
    public async Task LoadAsync(IKubernetes hub, CancellationToken ct)
    {
        if (_loaded) return;
        await _loading.WaitAsync(ct);
        try
        {
            if (_loaded) return;
            var bundles = await HubLists.BundlesAsync(hub, ct);
            lock (_nodes)
            {
                foreach (var bundle in bundles) _nodes.TryAdd(KeyOf(bundle), NodeOf(bundle));
                _graph = null;
            }
            _loaded = true;
        }
        finally { _loading.Release(); }
    }

    /// <summary>Records <paramref name="bundle"/> as it is now.</summary>
    public void Set(BundleResource bundle)
    {
        var key = KeyOf(bundle);
        var node = NodeOf(bundle);
        var seen = false;
        ImmutableArray<string> dropped = [];
        Change(key, () =>
        {
            var old = _nodes.GetValueOrDefault(key);
            _nodes[key] = node;
            seen = old is not null && old.Suspended == node.Suspended && old.Deleting == node.Deleting;
            dropped = [.. (old?.DependsOn ?? []).Except(node.DependsOn, StringComparer.Ordinal)];
            return old is null || !old.DependsOn.SequenceEqual(node.DependsOn, StringComparer.Ordinal);
        });
        if (!seen) QueueHeldBy(key);
        // A dependency it no longer names may have a removal that waited for it.
        QueueWaitingRemovals(dropped);
    }

    /// <summary>
    /// The bundle's reconcile replaced <paramref name="previous"/> with <paramref name="target"/>: when that changes what the
    /// bundle looks like as a dependency on any cluster, its dependents' held-back pairs look again, and so do their
    /// pairs on the clusters it now leaves.
    /// </summary>
    public void Published(BundleTarget? previous, BundleTarget target)
    {
        if (previous is not null && previous.Problem?.Reason == target.Problem?.Reason
            && previous.Clusters.Count == target.Clusters.Count
            && target.Clusters.All(c => previous.Clusters.TryGetValue(c.Key, out var intent) && intent == c.Value && previous.RevisionFor(c.Key) == target.RevisionFor(c.Key)))
            return;
        QueueHeldBy(target.BundleKey);
        // Leaving clusters its dependents stay on: they are held back from now on, and say so at once.
        var leaving = target.Clusters.Where(c => c.Value == ClusterIntent.Remove && previous?.Clusters.GetValueOrDefault(c.Key) != ClusterIntent.Remove).Select(c => c.Key).ToList();
        foreach (var dependent in Graph.DependentsOf(target.BundleKey))
            foreach (var cluster in leaving)
                if (targets.Get(dependent) is { } t && t.Clusters.TryGetValue(cluster, out var intent) && intent == ClusterIntent.Sync) queuePair(ClusterSyncKey.Of(dependent, cluster));
    }

    /// <summary>Forgets a Bundle that is gone from the hub.</summary>
    public void Remove(string key)
    {
        var dependencies = Graph.DependenciesOf(key);
        Change(key, () => _nodes.TryRemove(key, out _));
        QueueHeldBy(key);
        // Its dependencies' removals may have waited for it: between its finalizer's release and its deletion it looked
        // as if it still held the clusters its status listed.
        QueueWaitingRemovals(dependencies);
    }

    /// <summary>Queues the pairs of <paramref name="bundles"/> whose removal is pending.</summary>
    private void QueueWaitingRemovals(IEnumerable<string> bundles)
    {
        foreach (var bundle in bundles)
            foreach (var (cluster, latest) in results.Of(bundle))
                if (latest.Result.Phase == SyncPhase.Removing) queuePair(ClusterSyncKey.Of(bundle, cluster));
    }

    /// <summary>Queues every pair of <paramref name="key"/>'s dependents that is held back by a dependency.</summary>
    private void QueueHeldBy(string key)
    {
        foreach (var dependent in Graph.DependentsOf(key))
            foreach (var (cluster, latest) in results.Of(dependent))
                if (latest.Result.Phase == SyncPhase.DependencyNotReady) queuePair(ClusterSyncKey.Of(dependent, cluster));
    }

    /// <summary>
    /// What the hub knows of <paramref name="key"/> on <paramref name="cluster"/>. Before the bundle's first reconcile
    /// (no target yet) it counts as on the clusters its status lists (leaving them when it is being deleted).
    /// </summary>
    public DependencyObservation Observe(string key, string cluster)
    {
        if (!_nodes.TryGetValue(key, out var node)) return DependencyObservation.Missing;
        var target = targets.Get(key);
        var latest = results.Get(key, cluster);
        var holds = !results.IsRemoved(key, cluster);
        // Without a target (a hub that just started), the clusters its status lists may hold its objects.
        var placement = target?.Clusters.TryGetValue(cluster, out var intent) == true
            ? intent == ClusterIntent.Remove || node.Deleting ? holds ? DependencyPlacement.Leaving : DependencyPlacement.NotPlaced : DependencyPlacement.Placed
            : target is null && holds && node.StatusClusters.Contains(cluster) ? node.Deleting ? DependencyPlacement.Leaving : DependencyPlacement.Placed
            : DependencyPlacement.NotPlaced;
        return new DependencyObservation
        {
            Suspended = node.Suspended,
            Deleting = node.Deleting,
            Decided = target is not null,
            Problem = target?.Problem?.Reason,
            Placement = placement,
            WantedRevision = target?.RevisionFor(cluster),
            Phase = latest?.Phase,
            AppliedRevision = latest?.AppliedRevision,
            Health = latest?.Health ?? Core.Health.HealthStatus.Unknown,
        };
    }

    /// <summary>
    /// The pairs on <paramref name="cluster"/> a new sync result of <paramref name="key"/> may release: once it is Ready
    /// there, its dependents that were held back there.
    /// </summary>
    public IEnumerable<string> ReleasedBySync(string key, string cluster)
    {
        if (DependencyReadiness.Of(Observe(key, cluster)).State != DependencyState.Ready) return [];
        return Graph.DependentsOf(key)
            .Where(d => results.Get(d, cluster)?.Phase == SyncPhase.DependencyNotReady)
            .Select(d => ClusterSyncKey.Of(d, cluster));
    }

    /// <summary>
    /// The pairs on <paramref name="cluster"/> the end of <paramref name="key"/>'s removal there concerns: its dependencies'
    /// removals that waited for it, and its dependents that stay (they now wait, saying their dependency went).
    /// </summary>
    public IEnumerable<string> ReleasedByRemoval(string key, string cluster)
    {
        var graph = Graph;
        var dependencies = graph.DependenciesOf(key).Where(d => Observe(d, cluster).Placement == DependencyPlacement.Leaving);
        var dependents = graph.DependentsOf(key).Where(d => targets.Get(d) is { } t && t.Clusters.TryGetValue(cluster, out var intent) && intent == ClusterIntent.Sync);
        return dependencies.Concat(dependents).Select(d => ClusterSyncKey.Of(d, cluster));
    }

    /// <summary>
    /// Applies <paramref name="change"/> (true: the edges of <paramref name="key"/> changed); then every bundle that depended
    /// on it, before or after, may be in a new cycle or out of one, and is reconciled.
    /// </summary>
    private void Change(string key, Func<bool> change)
    {
        ImmutableArray<string> affected;
        lock (_nodes)
        {
            var before = Graph.TransitiveDependentsOf(key);
            if (!change()) return;
            _graph = null;
            affected = [.. before.Union(Graph.TransitiveDependentsOf(key), StringComparer.Ordinal).Where(b => b != key)];
        }
        foreach (var bundle in affected) reconcileBundle(bundle);
    }

    private DependencyGraph Build()
    {
        lock (_nodes) return _graph ??= new DependencyGraph(_nodes.ToDictionary(n => n.Key, n => n.Value.DependsOn, StringComparer.Ordinal));
    }

    private static string KeyOf(BundleResource bundle) => ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);

    private static Node NodeOf(BundleResource bundle) => new(
        KeysOf(bundle),
        bundle.Spec.Suspend == true,
        bundle.Metadata.DeletionTimestamp is not null,
        (bundle.Status?.Clusters ?? []).Select(c => c.Name).ToImmutableHashSet(StringComparer.Ordinal));
}
