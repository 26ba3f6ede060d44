using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Writes a Bundle's status (key <c>namespace/name</c>) as one aggregate of its target and the latest per-cluster
/// results, paced by <see cref="StatusPacer"/>: at most one write per bundle per second however many clusters
/// report, made as soon as the bundle's clusters have all reported.
/// </summary>
public sealed class BundleStatusReconciler(IKubernetes hub, ObjectDiscovery bundles, BundleTargets targets, SyncResults results, WorkQueue<string> pairs,
    StatusPacer pacer, TimeProvider clock, HubMetrics metrics) : IReconciler<string>
{
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        if (targets.Get(key) is not { } target)
        {
            pacer.Forget(key);
            return ReconcileResult.Success;
        }
        var busy = target.Clusters.Keys.Any(c => pairs.IsActive(ClusterSyncKey.Of(key, c)));
        var pace = pacer.Next(key, busy);
        if (!pace.Write) return pace.Wait is { } wait ? ReconcileResult.RequeueAfter(wait) : ReconcileResult.Success;
        var (ns, name) = ObjectKey.Split(key);
        var bundle = await bundles.GetAsync<BundleResource>(key, ct);
        if (bundle is null) return ReconcileResult.Success;
        // Read again now the pace is cleared: a target published since the first read asked for a write the clearing forgot.
        if (targets.Get(key) is { } latest) target = latest;
        var status = new BundleStatusBuilder(bundle, clock.GetUtcNow()).Build(target, results.Of(key));
        try
        {
            await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
                FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, name, cancellationToken: ct);
        }
        catch
        {
            pacer.WriteFailed(key);
            throw;
        }
        metrics.StatusWritten();
        return ReconcileResult.Success;
    }
}
