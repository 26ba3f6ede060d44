using System.Collections.Concurrent;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Writes a Bundle's status (key <c>namespace/name</c>) as one aggregate of its target and the latest per-cluster
/// results. Requests arrive through a queue with a one-second delay, which merges every request of that second into
/// one write. The delay alone is not a spacing: a request that arrives while a write is in flight would be served
/// up to that write's own duration less than a second after it (its read of the Bundle and its patch), so the time
/// each bundle's last write was sent is kept and a write due sooner waits out the rest of the second. At most one status write per bundle per second, however many clusters report.
/// </summary>
public sealed class BundleStatusReconciler(IKubernetes hub, BundleTargets targets, SyncResults results, TimeProvider clock, HubMetrics metrics) : IReconciler<string>
{
    /// <summary>How long status requests are gathered before one write.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWrite = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        if (targets.Get(key) is not { } target)
        {
            _lastWrite.TryRemove(key, out _);
            return ReconcileResult.Success;
        }
        if (_lastWrite.TryGetValue(key, out var last) && last + Coalesce - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero)
            return ReconcileResult.RequeueAfter(wait);
        var (ns, name) = ObjectKey.Split(key);
        var bundle = await FlotillaObjects.FindAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle is null)
        {
            _lastWrite.TryRemove(key, out _);
            return ReconcileResult.Success;
        }
        var status = new BundleStatusBuilder(bundle, clock.GetUtcNow()).Build(target, results.Of(key));
        // Taken when the write is sent (not when it is answered), so the spacing holds between the writes themselves.
        _lastWrite[key] = clock.GetUtcNow();
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, name, cancellationToken: ct);
        metrics.StatusWritten();
        return ReconcileResult.Success;
    }
}
