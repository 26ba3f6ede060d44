using Flotilla.Core;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Health;
using Flotilla.Core.Rollout;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Builds a Bundle's status in one piece (one patch per write) from its target and the latest per-cluster results:
/// compact per-cluster entries, a summary, and the conditions Ready / Reconciling / Stalled (Ready=False,
/// <c>NoClustersSelected</c> when placement chose no cluster). Text (errors, drift,
/// warnings) is kept for <see cref="MaxDetailedClusters"/> clusters and capped, object counts for
/// <see cref="MaxCountedClusters"/>, and times have second precision, so
/// the status of 1,000 clusters with 63-character names stays under 256 KiB.
/// </summary>
public sealed class BundleStatusBuilder(BundleResource bundle, DateTimeOffset now)
{
    private const int MaxError = 512;
    private const int MaxDrift = 256;

    /// <summary>Clusters whose error, drift and warning text is kept; beyond that only phase, revision and health.</summary>
    public const int MaxDetailedClusters = 20;

    /// <summary>Clusters whose object counts (objects, written, pruned) and applied override names are kept.</summary>
    public const int MaxCountedClusters = 100;

    /// <summary>Reasons kept for clusters placement left out (<c>flotilla placement explain</c> recomputes them all).</summary>
    public const int MaxPlacementReasons = 10;

    private BundleClusterStatus? Previous(string cluster) => bundle.Status?.Clusters?.FirstOrDefault(c => c.Name == cluster);

    /// <summary>The status for <paramref name="target"/> given the latest results (a cluster without one keeps its previous entry).</summary>
    public BundleStatus Build(BundleTarget target, IReadOnlyDictionary<string, (SyncResult Result, DateTimeOffset At)> results)
    {
        var (detailed, counted, shown) = (0, 0, 0);
        var clusters = target.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
        {
            var entry = results.TryGetValue(c.Key, out var r) ? Entry(c.Key, r.Result, r.At, ref detailed, ref counted) : Previous(c.Key) ?? Pending(c.Key);
            if (counted <= MaxCountedClusters && target.Overrides?.GetValueOrDefault(c.Key) is { AppliedOverrides.Length: > 0 } applied) entry.AppliedOverrides = [.. applied.AppliedOverrides];
            if (c.Value == ClusterIntent.Remove && entry.Phase != nameof(SyncPhase.Removing))
                entry = new BundleClusterStatus { Name = c.Key, Phase = nameof(SyncPhase.Removing), AppliedRevision = entry.AppliedRevision, Health = nameof(HealthStatus.Unknown) };
            else if (target.Rollout is { } rollout) Rollout(entry, rollout, c.Key, target.RevisionFor(c.Key), ref shown, ref detailed);
            return entry;
        }).ToList();
        var revision = target.Revision;
        // A hub that has not placed the bundle yet (just started: its source not fetched, its clusters not probed) knows
        // none of its clusters: the status keeps the entries it recorded. The objects are still there, and a rollout and
        // the placement's current clusters are read from them.
        if (revision is null && target.Problem is not null) clusters = [.. bundle.Status?.Clusters ?? []];
        if (target.Problem is { } problem)
        {
            var stalled = problem.Stalled ? ("True", problem.Reason, Cap(problem.Message, 2048)) : ("False", "None", "");
            return Assemble(revision ?? bundle.Status?.DesiredRevision, problem.Reason == "RenderFailed" ? Cap(problem.Message, 2048) : null, clusters, Placement(target),
                ready: ("False", problem.Reason, Cap(problem.Message, MaxError)), reconciling: (problem.Stalled ? "False" : "True", problem.Reason, Cap(problem.Message, MaxError)), stalled,
                RolloutStatus(target.Rollout) ?? (bundle.Spec.Rollout is null ? null : bundle.Status?.Rollout));
        }
        var placed = clusters.Where(c => c.Phase != nameof(SyncPhase.Removing)).ToList();
        var removing = clusters.Count - placed.Count;
        if (target.Rollout is { Plan.Phase: not RolloutPhase.Completed } running)
        {
            // The run decides readiness until it completes: clusters on older revisions are where the run wants them.
            var (phase, message) = (running.Plan.Phase, Cap(running.Plan.Message, MaxError));
            var stopped = phase is RolloutPhase.Halted or RolloutPhase.RolledBack or RolloutPhase.Invalid;
            return Assemble(revision, null, clusters, Placement(target), ("False", $"Rollout{phase}", message),
                stopped ? ("False", $"Rollout{phase}", "") : ("True", $"Rollout{phase}", message),
                stopped ? ("True", $"Rollout{phase}", message) : ("False", "None", ""), RolloutStatus(running));
        }
        if (placed.Count == 0)
        {
            // Nothing deployed anywhere is not "ready": say so, with the first reason a cluster was left out.
            var none = ("False", "NoClustersSelected", NoClustersMessage(target, removing));
            return Assemble(revision, null, clusters, Placement(target), none,
                removing > 0 ? ("True", "Progressing", none.Item3) : ("False", "NoClustersSelected", ""), stalled: ("False", "None", ""), RolloutStatus(target.Rollout));
        }
        var notReady = placed.Where(c => c.Phase != nameof(SyncPhase.Synced) || c.Health != nameof(HealthStatus.Healthy) || c.AppliedRevision != revision).ToList();
        var failed = placed.Where(c => c.Phase is nameof(SyncPhase.Failed) or nameof(SyncPhase.Unreachable)).ToList();
        var removal = removing > 0 ? $"; removing from {Clusters(removing)}" : "";
        var ready = notReady.Count == 0
            ? ("True", "Synced", $"{Clusters(placed.Count)} synced and healthy at {Short(revision)}{removal}")
            : ("False", failed.Count > 0 ? "ClustersFailing" : notReady.All(c => c.Phase == nameof(SyncPhase.DependencyNotReady)) ? "DependencyNotReady" : "Progressing",
                Cap($"{notReady.Count} of {Clusters(placed.Count)} not ready: " + string.Join(", ", notReady.Take(5).Select(c => $"{c.Name} {c.Phase}/{c.Health}")) + removal, MaxError));
        var reconciling = notReady.Count == 0 && removing == 0 ? ("False", "Synced", "") : ("True", "Progressing", ready.Item3);
        return Assemble(revision, null, clusters, Placement(target), ready, reconciling, stalled: ("False", "None", ""), RolloutStatus(target.Rollout));
    }

    /// <summary>The run's state and standing, acknowledging the command the plan took in the same write.</summary>
    private BundleRolloutStatus? RolloutStatus(RolloutTarget? rollout) => rollout is not { Plan: var plan } ? null : new()
    {
        State = plan.State.ToJson(),
        Phase = plan.Phase.ToString(),
        Message = Cap(plan.Message, 2048),
        AwaitingApproval = plan.AwaitingApproval,
        TargetRevision = plan.State.Revision,
        LastHealthyRevision = plan.State.LastHealthyRevision,
        LastCommandId = rollout.CommandId,
        RecheckAt = plan.RecheckAt is { } at ? Seconds(at) : null,
    };

    /// <summary>
    /// What the run means for one cluster: the revision it is meant to have (only when it differs from the applied one;
    /// <c>none</c> when it is held back) and its stage and place while not done, for the first
    /// <see cref="MaxCountedClusters"/> clusters with something to say; why it is held back, for the first
    /// <see cref="MaxDetailedClusters"/>. A finished run adds nothing, and a large fleet mid-run stays under 256 KiB. Snapshot
    /// collection does not depend on these: a planned revision is always the run's, the last healthy or an applied one.
    /// </summary>
    private static void Rollout(BundleClusterStatus entry, RolloutTarget rollout, string cluster, string? revision, ref int shown, ref int detailed)
    {
        var moving = rollout.Of(cluster) is { Status: not ClusterRolloutStatus.Done } c ? c : (ClusterRollout?)null;
        if ((revision == entry.AppliedRevision && moving is null) || shown++ >= MaxCountedClusters) return;
        if (revision != entry.AppliedRevision) entry.DesiredRevision = revision ?? "none";
        if (moving is { } m) entry.Rollout = $"{m.Stage ?? "-"}/{m.Status}";
        if (rollout.HeldBack.TryGetValue(cluster, out var why) && detailed++ < MaxDetailedClusters) entry.Error = Cap(why, MaxError);
    }

    /// <summary>The decision in compact form; a target not placed yet (its problem came first) keeps the last one shown.</summary>
    private BundlePlacementStatus? Placement(BundleTarget target)
    {
        if (target.Placement is not { } decision) return bundle.Status?.Placement;
        var left = decision.NotSelected.ToList();
        return new BundlePlacementStatus
        {
            Selected = [.. decision.Selected],
            NotSelected = left.Count,
            Reasons = left.Count == 0 ? null : [.. left.Take(MaxPlacementReasons).Select(o => new PlacementReason { Cluster = o.Cluster, Reason = Cap(o.Reason ?? "", 256) })],
            RecheckAt = decision.RecheckAt is { } at ? Seconds(at) : null,
        };
    }

    private BundleClusterStatus Entry(string name, SyncResult r, DateTimeOffset at, ref int detailed, ref int counted)
    {
        var count = counted++ < MaxCountedClusters;
        var detail = (r.Error is not null || r.Drift.Count > 0 || r.Warnings.Count > 0 || r.HealthMessage is not null || r.Stage is not null) && detailed++ < MaxDetailedClusters;
        return new BundleClusterStatus
        {
            Name = name,
            Phase = r.Phase.ToString(),
            // A result that knows no applied revision (a failure before this hub saw the pair apply anything, e.g. just
            // after a restart) keeps the one the status recorded: the objects are still there, and a rollout reads it.
            AppliedRevision = r.AppliedRevision ?? Previous(name)?.AppliedRevision,
            Health = HealthAggregator.OfCluster(r.Phase, r.Health).ToString(),
            Objects = !count || r.Objects == 0 ? null : r.Objects,
            Written = !count || r.Written == 0 ? null : r.Written,
            Pruned = !count || r.Pruned == 0 ? null : r.Pruned,
            Error = detail && r.Error is { } e ? Cap(e, MaxError) : null,
            HealthMessage = detail && r.HealthMessage is { } h ? Cap(h, MaxError) : null,
            Drift = detail ? DriftText(r.Drift) : null,
            Warnings = detail && r.Warnings.Count > 0 ? Cap(string.Join("; ", r.Warnings), MaxError) : null,
            Stage = detail ? r.Stage : null,
            PartialRevision = detail ? r.PartialRevision : null,
            LastSyncTime = Seconds(at),
        };
    }

    private static string NoClustersMessage(BundleTarget target, int removing)
    {
        var left = target.Placement?.NotSelected.ToList() ?? [];
        var why = left.FirstOrDefault() is { } first ? $"; {first.Cluster}: {first.Reason}" : "";
        var removal = removing > 0 ? $"; removing from {Clusters(removing)}" : "";
        return Cap($"placement selected none of {Clusters(left.Count)}{why}{removal}", MaxError);
    }

    private static BundleClusterStatus Pending(string name) =>
        new() { Name = name, Phase = nameof(SyncPhase.Pending), Health = nameof(HealthStatus.Unknown) };

    private static string Clusters(int count) => count == 1 ? "1 cluster" : $"{count} clusters";

    private BundleStatus Assemble(string? revision, string? renderError, List<BundleClusterStatus> clusters, BundlePlacementStatus? placement,
        (string Status, string Reason, string Message) ready, (string Status, string Reason, string Message) reconciling,
        (string Status, string Reason, string Message) stalled, BundleRolloutStatus? rollout) => new()
    {
        Rollout = rollout,
        ObservedGeneration = bundle.Metadata.Generation,
        DesiredRevision = revision,
        RenderError = renderError,
        Clusters = clusters,
        Placement = placement,
        Summary = new BundleSummary
        {
            Placed = clusters.Count(c => c.Phase != nameof(SyncPhase.Removing)),
            Synced = clusters.Count(c => c.Phase == nameof(SyncPhase.Synced) && c.AppliedRevision == revision),
            Healthy = clusters.Count(c => c.Health == nameof(HealthStatus.Healthy)),
            Failed = clusters.Count(c => c.Phase is nameof(SyncPhase.Failed) or nameof(SyncPhase.Unreachable)),
        },
        Conditions = [Condition("Ready", ready), Condition("Reconciling", reconciling), Condition("Stalled", stalled)],
    };

    private StatusCondition Condition(string type, (string Status, string Reason, string Message) c) =>
        StatusConditions.Next(bundle.Status?.Conditions, type, c.Status, c.Reason, c.Message, Seconds(now), bundle.Metadata.Generation);

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, TimeSpan.Zero);

    private static string? DriftText(IReadOnlyList<DriftRecord> drift) => drift.Count == 0 ? null : Cap(string.Join("; ",
        drift.Take(3).Select(d => $"{d.Object} {d.Field} changed by {d.Manager ?? "unknown"}{(d.Fight ? " (fight: no longer corrected)" : d.Corrected ? " (corrected)" : "")}"))
        + (drift.Count > 3 ? $" (and {drift.Count - 3} more)" : ""), MaxDrift);

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Short(string? revision) => revision is null ? "(none)" : Revisions.Short(revision);
}
