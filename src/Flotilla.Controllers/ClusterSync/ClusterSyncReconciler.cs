using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Runtime;
using Flotilla.Core.Dependencies;
using Flotilla.Core.Sync;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Reconciles one (bundle, cluster) pair (key <c>namespace/bundle/cluster</c>): brings the cluster to the bundle's
/// target revision, or removes the bundle's objects when the cluster left the placement or the bundle is being deleted.
/// Each pair has its own deadline and its own backoff: a failing or unreachable cluster is retried 2 s, 4 s, 8 s …
/// up to 5 minutes (with jitter), and never delays another cluster. A removal from a Cluster being deleted reports
/// to <paramref name="clusterCleanupChanged"/>, so the Cluster's own cleanup looks again at once. The bundle's status
/// is asked for when the pair's lease is released (see the hub's wiring), so the status write never sees the pair
/// still busy and waits for nothing. With a rollout each cluster syncs the revision its plan gives it (none: nothing is
/// done, nothing pruned), and every new result of the pair queues the bundle's reconcile, which re-plans the rollout.
/// With <c>dependsOn</c> (<see cref="DependencyGate"/>), nothing is written while a dependency is not Ready on the cluster
/// (result <see cref="SyncPhase.DependencyNotReady"/>), nor removed while a dependent still has objects there; such a pair is
/// queued again (<paramref name="pairChanged"/>) when what it waits for changes, and otherwise at its interval.
/// </summary>
public sealed class ClusterSyncReconciler(BundleTargets targets, ClusterDirectory directory, MemberSyncs members, SyncResults results,
    DriftReporter drift, Action<string> bundleChanged, Action<string> clusterCleanupChanged, HubMetrics metrics, TimeProvider clock,
    BundleDependencies dependencies, Action<string> pairChanged) : IReconciler<string>
{
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (bundleKey, clusterName) = ClusterSyncKey.Split(key);
        if (targets.Get(bundleKey) is not { } target || !target.Clusters.TryGetValue(clusterName, out var intent) || target.RevisionFor(clusterName) is null && intent == ClusterIntent.Sync)
            return ReconcileResult.Success;
        if (directory.Get(clusterName) is not { } cluster || ClusterDirectory.IsOrphaned(cluster))
        {
            // Removed from the registry (or going without cleanup): there is nothing left to reach, so nothing is waited for.
            Removed(bundleKey, clusterName);
            return ReconcileResult.Success;
        }
        // A Cluster being deleted gets no more writes; the bundle's reconcile turns this pair into a removal.
        if (intent == ClusterIntent.Sync && ClusterDirectory.IsLeaving(cluster)) return ReconcileResult.Success;
        var previous = results.Of(bundleKey).GetValueOrDefault(clusterName).Result;
        if (!ClusterDirectory.IsAvailable(cluster))
        {
            var reason = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available")?.Reason ?? "not probed yet";
            return Failed(bundleKey, clusterName, intent, SyncPhase.Unreachable, previous, $"cluster is {reason}: kept as applied, retried with backoff");
        }
        if (Gate(bundleKey, clusterName, intent) is { } wait)
        {
            // Nothing is written or removed: the pair it waits for queues this one when it reports.
            var (phase, message) = intent == ClusterIntent.Remove ? (SyncPhase.Removing, $"removal pending: {wait.Message}") : (SyncPhase.DependencyNotReady, wait.Message);
            results.Set(bundleKey, clusterName, SyncResult.Failure(phase, previous?.AppliedRevision, message), clock.GetUtcNow());
            RolloutObserves(target);
            return ReconcileResult.RequeueAfter(target.Interval);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(target.Timeout);
        try
        {
            var member = await members.GetAsync(cluster, deadline.Token);
            var (ns, name) = ObjectKey.Split(bundleKey);
            if (intent == ClusterIntent.Remove)
            {
                await member.Executor.RemoveAsync(OwnershipLabels.ValueFor(ns, name), deleteObjects: !target.OrphanOnRemove, deadline.Token);
                Removed(bundleKey, clusterName);
                if (ClusterDirectory.IsLeaving(cluster)) clusterCleanupChanged(clusterName);
                return ReconcileResult.Success;
            }
            if (target.ManifestsFor(clusterName) is not { } manifests)
            {
                // The chart or the overrides do not render on this cluster: it keeps what it has, and nothing changes until the bundle or the cluster does.
                results.Set(bundleKey, clusterName, SyncResult.Failure(SyncPhase.Failed, previous?.AppliedRevision, $"{target.WhyNothingFor(clusterName)}; kept as applied"), clock.GetUtcNow());
                RolloutObserves(target);
                return ReconcileResult.Stalled($"nothing to apply on {clusterName}");
            }
            var request = new SyncRequest(ns, name, target.RevisionFor(clusterName)!, manifests, target.Policy) { Held = o => drift.IsHeld(key, o), AppliedRevision = previous?.AppliedRevision };
            var started = clock.GetTimestamp();
            var outcome = await member.Executor.RunAsync(request, apply: true, deadline.Token);
            metrics.Synced(clock.GetElapsedTime(started));
            results.Set(bundleKey, clusterName, outcome.Result, clock.GetUtcNow());
            RolloutObserves(target);
            foreach (var released in dependencies.ReleasedBySync(bundleKey, clusterName)) pairChanged(released);
            await drift.ReportAsync(bundleKey, target.Uid, clusterName, outcome.Result.Drift, ct);
            return outcome.Result.Phase is SyncPhase.Synced or SyncPhase.OutOfSync
                ? ReconcileResult.RequeueAfter(target.Interval)
                : ReconcileResult.Failed(outcome.Result.Error ?? "sync failed");
        }
        catch (ClusterUnreachableException e)
        {
            return Failed(bundleKey, clusterName, intent, SyncPhase.Unreachable, previous, $"{e.Message}, retried with backoff");
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Nothing was pruned: prune runs only after every stage was planned from a complete cache and applied.
            return Failed(bundleKey, clusterName, intent, SyncPhase.Unreachable, previous,
                e is OperationCanceledException ? $"the sync did not finish within {target.Timeout.TotalSeconds:0}s; kept as applied, retried with backoff"
                    : "the cluster stopped answering during the sync; kept as applied, retried with backoff");
        }
        catch (Exception e) when (e is KubeApiException or InvalidCredentialsException or TimeoutException)
        {
            return Failed(bundleKey, clusterName, intent, SyncPhase.Failed, previous, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect must fail this pair visibly, not the process or another cluster.
            return Failed(bundleKey, clusterName, intent, SyncPhase.Failed, previous, $"internal error ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>What holds the pair back for <c>dependsOn</c>, if anything.</summary>
    private DependencyWait? Gate(string bundleKey, string cluster, ClusterIntent intent) => intent switch
    {
        ClusterIntent.Sync => DependencyGate.ForSync(dependencies.Graph, bundleKey, cluster, d => dependencies.Observe(d, cluster)),
        // Orphaning deletes nothing, so nothing of a dependent can go with it: there is no order to keep.
        ClusterIntent.Remove => targets.Get(bundleKey)?.OrphanOnRemove == true ? null
            : DependencyGate.ForRemoval(dependencies.Graph, bundleKey, cluster, d => dependencies.Observe(d, cluster)),
    };

    /// <summary>Records that the cluster holds nothing of the bundle any more, and queues what waited for that.</summary>
    private void Removed(string bundleKey, string cluster)
    {
        results.MarkRemoved(bundleKey, cluster);
        bundleChanged(bundleKey);
        foreach (var released in dependencies.ReleasedByRemoval(bundleKey, cluster)) pairChanged(released);
    }

    /// <summary>A rollout advances on its clusters' results: each new one is an observation for the next plan.</summary>
    private void RolloutObserves(BundleTarget target)
    {
        if (target.Rollout is not null) bundleChanged(target.BundleKey);
    }

    private ReconcileResult Failed(string bundleKey, string cluster, ClusterIntent intent, SyncPhase phase, SyncResult? previous, string error)
    {
        var shown = intent == ClusterIntent.Remove ? SyncPhase.Removing : phase;
        var what = intent == ClusterIntent.Remove ? $"removal pending: {error}" : error;
        results.Set(bundleKey, cluster, SyncResult.Failure(shown, previous?.AppliedRevision, what), clock.GetUtcNow());
        if (targets.Get(bundleKey) is { } target) RolloutObserves(target);
        if (intent == ClusterIntent.Remove && directory.Get(cluster) is { } c && ClusterDirectory.IsLeaving(c)) clusterCleanupChanged(cluster);
        return ReconcileResult.Failed(what);
    }
}
