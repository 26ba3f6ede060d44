using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Writes a Bundle's status (key <c>namespace/name</c>) as one aggregate of its target and the latest per-cluster
/// results. Requests arrive through a queue with a one-second delay, which merges every request of that second into
/// one write: at most one status write per bundle per second, however many clusters report.
/// </summary>
public sealed class BundleStatusReconciler(IKubernetes hub, BundleTargets targets, SyncResults results, TimeProvider clock, HubMetrics metrics) : IReconciler<string>
{
    /// <summary>How long status requests are gathered before one write.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        if (targets.Get(key) is not { } target) return ReconcileResult.Success;
        var (ns, name) = ObjectKey.Split(key);
        var bundle = await FlotillaObjects.FindAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle is null) return ReconcileResult.Success;
        var status = new BundleStatusBuilder(bundle, clock.GetUtcNow()).Build(target, results.Of(key));
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, name, cancellationToken: ct);
        metrics.StatusWritten();
        return ReconcileResult.Success;
    }
}
