using Flotilla.Kube.Api;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// Pure: what changed between two versions of a Bundle or Cluster that a person should hear of. A rollout entering a
/// phase (Halted, Invalid and RolledBack are failures), clusters newly failing to sync, clusters newly drifted, a member's
/// credentials rejected or the member unreachable, and back. Nothing is reported for an object seen for the first time:
/// a restarted hub must not announce the whole fleet again.
/// </summary>
public static class NoticeDetector
{
    public static IReadOnlyList<FleetNotice> ForBundle(BundleResource? before, BundleResource after)
    {
        if (before is null) return [];
        var notices = new List<FleetNotice>();
        var (ns, name) = (after.Metadata.NamespaceProperty, after.Metadata.Name);
        var rollout = after.Status?.Rollout;
        if (rollout?.Phase is { } phase && (phase != before.Status?.Rollout?.Phase || rollout.TargetRevision != before.Status?.Rollout?.TargetRevision)
            && PhaseNotice(phase) is { } kind)
        {
            var failing = (after.Status?.Clusters ?? []).Where(c => c.Phase == "Failed" || c.Health == "Degraded").Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
            notices.Add(new(kind, "Bundle", ns, name, rollout.TargetRevision, $"rollout {phase}: {rollout.Message}", kind == NoticeKind.RolloutFailed ? failing : []));
        }
        var was = (before.Status?.Clusters ?? []).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var newlyFailed = new List<string>();
        var newlyDrifted = new List<string>();
        foreach (var c in (after.Status?.Clusters ?? []).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var old = was.GetValueOrDefault(c.Name);
            if (c.Phase == "Failed" && old?.Phase != "Failed") newlyFailed.Add(c.Name);
            if (!string.IsNullOrEmpty(c.Drift) && string.IsNullOrEmpty(old?.Drift)) newlyDrifted.Add(c.Name);
        }
        var revision = after.Status?.DesiredRevision;
        if (newlyFailed.Count > 0)
            notices.Add(new(NoticeKind.SyncFailed, "Bundle", ns, name, revision, $"sync failed on {string.Join(", ", newlyFailed)}", newlyFailed));
        if (newlyDrifted.Count > 0)
            notices.Add(new(NoticeKind.Drift, "Bundle", ns, name, revision, $"drift on {string.Join(", ", newlyDrifted)}", newlyDrifted));
        return notices;
    }

    public static IReadOnlyList<FleetNotice> ForCluster(ClusterResource? before, ClusterResource after)
    {
        if (before is null) return [];
        var (was, now) = (Available(before), Available(after));
        if (now is null || (was?.Status == now.Status && was?.Reason == now.Reason)) return [];
        NoticeKind? kind = now.Status == "True" ? (was is null || was.Status == "True" ? null : NoticeKind.ClusterAvailable)
            : now.Reason is "AuthFailed" or "InvalidCredentials" ? NoticeKind.ClusterCredentialsRejected
            : now.Reason is "Unreachable" ? NoticeKind.ClusterUnreachable : null;
        return kind is { } k ? [new(k, "Cluster", null, after.Metadata.Name, null, $"{now.Reason}: {now.Message}", [after.Metadata.Name])] : [];
    }

    private static StatusCondition? Available(ClusterResource cluster) => cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");

    private static NoticeKind? PhaseNotice(string phase) => phase switch
    {
        // A rollback is what a failure (onFailure: Rollback) or a person's command leads to: both are worth hearing as a failure.
        "Halted" or "Invalid" or "RolledBack" => NoticeKind.RolloutFailed,
        "Paused" => NoticeKind.RolloutPaused,
        "AwaitingApproval" => NoticeKind.RolloutAwaitingApproval,
        "Completed" => NoticeKind.RolloutCompleted,
        "Progressing" => NoticeKind.RolloutProgressing,
        _ => null,
    };
}
