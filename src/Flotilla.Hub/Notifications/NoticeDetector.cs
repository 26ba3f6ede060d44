using Flotilla.Core;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// Pure: what changed between two versions of a Bundle or Cluster that a person should hear of. A rollout entering a
/// phase (Halted, Invalid and RolledBack are failures), a stage of the run starting or completing, clusters newly failing
/// to sync, clusters newly drifted, a member's
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
        notices.AddRange(StageNotices(before, after));
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

    /// <summary>
    /// Stage transitions read from the run's recorded state (<c>status.rollout.state</c>: the current stage's index and
    /// every stage's counts): stages the index moved past completed, the stage it moved to started. A new target revision
    /// is a new run, counted from its first stage.
    /// </summary>
    private static IEnumerable<FleetNotice> StageNotices(BundleResource before, BundleResource after)
    {
        if (State(after) is not { Revision: { } target } now) yield break;
        var was = State(before) is { } old && old.Revision == target ? old.Stage : -1;
        var (ns, name) = (after.Metadata.NamespaceProperty, after.Metadata.Name);
        // The implicit stage for clusters no stage matched is counted only when it has clusters: an empty one is noise.
        var total = now.Stages.Length > 0 && now.Stages[^1] is { Name: RolloutSpec.UnmatchedStageName, Clusters: 0 } ? now.Stages.Length - 1 : now.Stages.Length;
        for (var i = Math.Max(was, 0); i < now.Stage && i < total; i++)
        {
            var s = now.Stages[i];
            yield return new(NoticeKind.RolloutStageCompleted, "Bundle", ns, name, target,
                $"stage {s.Name} completed: {s.Done} of {s.Clusters} clusters on {Revisions.Short(target)}" + (s.Failed > 0 ? $", {s.Failed} failed" : ""), []);
        }
        if (now.Stage > was && now.Stage < total)
            yield return new(NoticeKind.RolloutStageStarted, "Bundle", ns, name, target,
                $"stage {now.Stages[now.Stage].Name} started ({now.Stage + 1} of {total}): {now.Stages[now.Stage].Clusters} clusters to move to {Revisions.Short(target)}", []);
    }

    private static RolloutState? State(BundleResource bundle) => RolloutState.TryParse(bundle.Status?.Rollout?.State);

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
