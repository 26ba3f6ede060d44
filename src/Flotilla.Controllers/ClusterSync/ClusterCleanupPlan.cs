using Flotilla.Kube.Api;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>One bundle a Cluster being deleted still waits for, and why (its removal's last error, or what holds it).</summary>
public sealed record PendingRemoval(string Bundle, string Why);

/// <summary>
/// What the removal of one Cluster still waits for: every bundle that may have objects on it — its status lists the
/// cluster, or its current target does (a sync may be running) — until that bundle's removal from the cluster is done.
/// Both sources are read so a hub that just restarted (no results in memory) still waits for what its bundles record.
/// </summary>
public sealed record ClusterCleanupPlan(IReadOnlyList<PendingRemoval> Pending)
{
    /// <summary>Bundles named in the condition message; the rest are counted.</summary>
    public const int MaxNamed = 5;

    private const int MaxWhy = 256;

    public bool Done => Pending.Count == 0;

    public static ClusterCleanupPlan For(string cluster, IEnumerable<BundleResource> bundles, BundleTargets targets, SyncResults results)
    {
        var pending = new List<PendingRemoval>();
        foreach (var bundle in bundles.OrderBy(b => ObjectKey.Of(b.Metadata.NamespaceProperty, b.Metadata.Name), StringComparer.Ordinal))
        {
            var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
            var target = targets.Get(key);
            var involved = bundle.Status?.Clusters?.Any(c => c.Name == cluster) == true || target?.Clusters.ContainsKey(cluster) == true;
            if (!involved || results.IsRemoved(key, cluster)) continue;
            var why = Why(bundle, target, results.Of(key).GetValueOrDefault(cluster).Result?.Error);
            pending.Add(new PendingRemoval(key, why.Length > MaxWhy ? why[..MaxWhy] + "…" : why));
        }
        return new ClusterCleanupPlan(pending);
    }

    private static string Why(BundleResource bundle, BundleTarget? target, string? lastError) =>
        (lastError, target?.Problem) switch
        {
            ({ } error, _) => error,
            (null, { } problem) => $"bundle not ready ({problem.Reason}): {problem.Message}",
            _ when bundle.Spec.Suspend == true && bundle.Metadata.DeletionTimestamp is null => "the bundle is suspended: resume it, or remove the cluster with --orphan",
            _ => "removal queued",
        };

    /// <summary>
    /// The <see cref="FlotillaApi.RemovingCondition"/> to show: reason <c>Unreachable</c> (or the cluster's own reason:
    /// AuthFailed…) when the member cannot be reached, else <c>RemovingBundles</c>; the message names what is pending.
    /// </summary>
    public (string Reason, string Message) Describe(string cluster, string? unavailableReason)
    {
        var named = string.Join("; ", Pending.Take(MaxNamed).Select(p => $"{p.Bundle}: {p.Why}"));
        var more = Pending.Count > MaxNamed ? $" (and {Pending.Count - MaxNamed} more)" : "";
        var count = Pending.Count == 1 ? "1 bundle" : $"{Pending.Count} bundles";
        return unavailableReason is { } reason
            ? (reason, $"member is {reason}: removing {count} from it is retried with backoff ({named}{more}); `flotilla cluster remove {cluster} --orphan` gives up and leaves them on the member")
            : ("RemovingBundles", $"removing {count} from the member: {named}{more}");
    }
}
