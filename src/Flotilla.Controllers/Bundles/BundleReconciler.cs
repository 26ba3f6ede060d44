using System.Collections.Concurrent;
using Flotilla.Controllers.Runtime;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Reconciles a Bundle (key <c>namespace/name</c>): render the source's revision, place it on the clusters its
/// selector matches, sync every placed and available cluster in parallel (each with its own deadline), and
/// write one status patch. A render error or a failed source changes nothing on any cluster.
/// </summary>
public sealed class BundleReconciler(IKubernetes hub, SourceArtifacts artifacts, RenderCache renders, MemberSyncClients members,
    BundleOptions options, TimeProvider clock, HubMetrics metrics) : IReconciler<string>
{
    private readonly ClusterRegistry _registry = new(hub);
    private readonly FightDetector _fights = new();
    private readonly BundleEvents _events = new(hub, clock);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        var bundle = await FlotillaObjects.FindAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle is null) return ReconcileResult.Success;
        if (bundle.Spec.Suspend == true) return ReconcileResult.Success;
        var status = new BundleStatusBuilder(bundle, clock.GetUtcNow());
        var interval = Durations.Parse(bundle.Spec.Sync?.Interval) ?? options.DefaultInterval;

        var artifact = artifacts.Get(ObjectKey.Of(ns, bundle.Spec.SourceRef.Name));
        if (artifact is null)
        {
            await WriteAsync(bundle, status.Waiting($"waiting for GitRepository {bundle.Spec.SourceRef.Name} to be fetched"), ct);
            return ReconcileResult.RequeueAfter(options.ProgressInterval);
        }
        var rendered = await renders.RenderAsync(artifact, bundle.Spec.Path, ct);
        if (rendered.Manifests is null)
        {
            await WriteAsync(bundle, status.RenderFailed(artifact.Revision, rendered.Errors.Select(e => e.ToString()).ToList()), ct);
            return ReconcileResult.Stalled($"render of {artifact.Revision} failed");
        }

        var selector = PlacementSelector.From(bundle.Spec.Placement?.ClusterSelector);
        var placed = (await _registry.ListAsync(ct)).Where(c => selector.Matches(c.Metadata.LabelMap())).ToList();
        var request = new SyncRequest(ns, name, artifact.Revision, rendered.Manifests, BundlePolicy.Of(bundle));
        var results = new ConcurrentDictionary<string, SyncResult>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(placed, new ParallelOptions { MaxDegreeOfParallelism = options.ClusterParallelism, CancellationToken = ct },
            async (cluster, token) =>
            {
                var clusterName = cluster.Metadata.Name;
                var held = request with { Held = o => _fights.IsHeld($"{key}|{clusterName}|{o}", clock.GetUtcNow(), out _) };
                results[clusterName] = await SyncClusterAsync(cluster, held, status.Previous(clusterName), token);
            });
        await ReportDriftAsync(bundle, key, results, ct);
        var built = status.Synced(artifact.Revision, results);
        await WriteAsync(bundle, built, ct);
        var settled = results.Values.All(r => r.Phase == SyncPhase.Synced && r.Health == HealthStatus.Healthy);
        return ReconcileResult.RequeueAfter(settled ? interval : options.ProgressInterval);
    }

    private async Task<SyncResult> SyncClusterAsync(ClusterResource cluster, SyncRequest request, BundleClusterStatus? previous, CancellationToken ct)
    {
        var available = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        if (available is not null && available.Status != "True")
            return SyncResult.Failure(SyncPhase.Unreachable, previous?.AppliedRevision, $"cluster is {available.Reason}: kept as applied, retried when it returns");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.ClusterSyncTimeout);
        try
        {
            var member = await members.GetAsync(cluster, deadline.Token);
            return await new ClusterSyncer(member, options.ObjectParallelism).SyncAsync(request, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Mid-sync loss: nothing was pruned (prune runs only after every stage read and applied); retried with backoff.
            return SyncResult.Failure(SyncPhase.Unreachable, previous?.AppliedRevision, "cluster stopped answering during the sync; kept as applied");
        }
        catch (KubeApiException e)
        {
            return SyncResult.Failure(SyncPhase.Failed, previous?.AppliedRevision, e.Message);
        }
        catch (InvalidCredentialsException e)
        {
            return SyncResult.Failure(SyncPhase.Failed, previous?.AppliedRevision, e.Message);
        }
        catch (TimeoutException e)
        {
            return SyncResult.Failure(SyncPhase.Failed, previous?.AppliedRevision, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect must fail this cluster's sync visibly, not the whole bundle's status.
            return SyncResult.Failure(SyncPhase.Failed, previous?.AppliedRevision, $"internal error ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>Warn-mode drift and fights become Events naming the manager; corrections feed the fight detector.</summary>
    private async Task ReportDriftAsync(BundleResource bundle, string key, IReadOnlyDictionary<string, SyncResult> results, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var (cluster, result) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var drift in result.Drift)
            {
                var what = $"{cluster}: {drift.Object} {drift.Field} changed by {drift.Manager ?? "an unknown manager"}";
                if (drift.Corrected && _fights.RecordCorrection($"{key}|{cluster}|{drift.Object}", drift.Manager, now))
                    await _events.WarnAsync(bundle, "DriftFight", $"{what} again and again; no longer corrected for 5 minutes", ct);
                else if (!drift.Corrected && !drift.Fight)
                    await _events.WarnAsync(bundle, "DriftDetected", what, ct);
            }
        }
    }

    private async Task WriteAsync(BundleResource bundle, BundleStatus status, CancellationToken ct)
    {
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, bundle.Metadata.NamespaceProperty, BundleResource.Plural, bundle.Metadata.Name, cancellationToken: ct);
        metrics.StatusWritten();
    }
}
