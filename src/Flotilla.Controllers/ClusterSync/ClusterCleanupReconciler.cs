using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Finishes the removal of a Cluster (key: its name) that <c>flotilla cluster remove</c> deleted with the finalizer
/// <see cref="FlotillaApi.CleanupFinalizer"/>. Such a cluster is out of every placement, so each bundle removes itself
/// from it by the usual rules (prune, or only the inventory with <c>deletionPolicy: Orphan</c>); meanwhile the Cluster's
/// condition <see cref="FlotillaApi.RemovingCondition"/> says what is pending (an unreachable member is retried with the
/// pairs' backoff). When nothing is pending the finalizer goes, and then the credentials Secret Flotilla created.
/// Reads only memory and one list of Bundles per look; never a member.
/// </summary>
public sealed class ClusterCleanupReconciler(IKubernetes hub, ClusterDirectory directory, BundleTargets targets, SyncResults results, TimeProvider clock)
    : IReconciler<string>
{
    /// <summary>How often a pending removal's condition is refreshed when no pair reports sooner.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(1);

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        await directory.Ready.WaitAsync(ct);
        if (directory.Get(name) is not { } cluster || !ClusterDirectory.IsLeaving(cluster) || ClusterDirectory.IsOrphaned(cluster))
            return ReconcileResult.Success;
        var plan = ClusterCleanupPlan.For(name, await HubLists.BundlesAsync(hub, ct), targets, results);
        if (plan.Done)
        {
            // Finalizer first: a Secret left by a crash in between is deleted by a waiting `cluster remove`, while a Secret
            // gone before a hub restart could leave a removal unable to reach its member.
            await FinalizersPatch.RemoveAsync(hub, cluster, FlotillaApi.CleanupFinalizer, ct);
            await new ClusterRegistry(hub).DeleteCredentialsAsync(cluster, ct);
            return ReconcileResult.Success;
        }
        var unavailable = ClusterDirectory.IsAvailable(cluster) ? null
            : cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available")?.Reason ?? "Unreachable";
        var (reason, message) = plan.Describe(name, unavailable);
        try
        {
            await WriteConditionAsync(cluster, reason, message, ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // The health probe wrote in between: not a failure, the watch brings the new version and this looks again.
            return ReconcileResult.RequeueAfter(ConflictRetry);
        }
        return ReconcileResult.RequeueAfter(Recheck);
    }

    private async Task WriteConditionAsync(ClusterResource cluster, string reason, string message, CancellationToken ct)
    {
        var conditions = cluster.Status?.Conditions ?? [];
        var current = conditions.FirstOrDefault(c => c.Type == FlotillaApi.RemovingCondition);
        if (current is { Status: "True" } && current.Reason == reason && current.Message == message) return;
        var since = current is { Status: "True" } && current.Reason == reason && current.LastTransitionTime is { } t ? t : clock.GetUtcNow();
        var list = new JsonArray([.. conditions.Where(c => c.Type != FlotillaApi.RemovingCondition).Select(Wire)]);
        list.Add(Wire(new StatusCondition
        {
            Type = FlotillaApi.RemovingCondition, Status = "True", Reason = reason, Message = message,
            LastTransitionTime = since, ObservedGeneration = cluster.Metadata.Generation,
        }));
        // Merge patch with the resourceVersion seen: a health write in between makes this one fail and run again
        // instead of dropping the probe's fresh Available condition.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = cluster.Metadata.ResourceVersion },
            ["status"] = new JsonObject { ["conditions"] = list },
        };
        await hub.CustomObjects.PatchClusterCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster.Metadata.Name, cancellationToken: ct);
    }

    private static JsonObject Wire(StatusCondition c)
    {
        var o = new JsonObject { ["type"] = c.Type, ["status"] = c.Status };
        if (!string.IsNullOrEmpty(c.Reason)) o["reason"] = c.Reason;
        if (!string.IsNullOrEmpty(c.Message)) o["message"] = c.Message;
        if (c.LastTransitionTime is { } t) o["lastTransitionTime"] = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (c.ObservedGeneration is { } g) o["observedGeneration"] = g;
        return o;
    }
}
