using Flotilla.Controllers.Charts;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>What a bundle's reconcile decided for one (bundle, cluster) pair.</summary>
public enum ClusterIntent
{
    /// <summary>Bring the cluster to its revision (<see cref="BundleTarget.RevisionFor"/>; none: leave it as it is).</summary>
    Sync,

    /// <summary>The cluster left the placement or the bundle is being deleted: remove what the bundle put there.</summary>
    Remove,
}

/// <summary>
/// The bundle's desired state as its reconcile last decided it, shared in memory with the per-cluster sync workers:
/// the rendered revision, the sync policy and the intent per cluster. Replaced whole on every bundle reconcile.
/// Without a rollout every cluster gets <see cref="Revision"/>; with one, each cluster gets the revision its plan says
/// (<see cref="Rollout"/>), possibly an older one, or none.
/// </summary>
public sealed record BundleTarget(
    string BundleKey,
    long Generation,
    string? Revision,
    ManifestSet Manifests,
    SyncPolicy Policy,
    IReadOnlyDictionary<string, ClusterIntent> Clusters,
    bool OrphanOnRemove,
    TimeSpan Interval,
    TimeSpan Timeout)
{
    /// <summary>
    /// A bundle-level problem the status must show (the source is not fetched yet, the render failed, the spec is
    /// invalid). Clusters keep what they have: their intents stay as before the problem.
    /// </summary>
    public BundleProblem? Problem { get; init; }

    /// <summary>The Bundle's uid (Events name it so <c>kubectl describe</c> finds them).</summary>
    public string? Uid { get; init; }

    /// <summary>The bundle's reconcile request (<c>flotilla reconcile bundle</c>): a new one syncs every cluster now.</summary>
    public string? ReconcileRequestedAt { get; init; }

    /// <summary>Each placed cluster's override result, when the bundle has override rules (null: every cluster gets <see cref="Manifests"/>).</summary>
    public IReadOnlyDictionary<string, OverrideResult>? Overrides { get; init; }

    /// <summary>
    /// Each placed cluster's rendered chart, when the bundle's path is a Helm chart (rendered per distinct input, not once
    /// for the bundle: then <see cref="Manifests"/> is empty); under a rollout, the chart of the cluster's planned revision
    /// (none for a cluster the plan leaves alone). Override results, when any, are computed from these.
    /// </summary>
    public IReadOnlyDictionary<string, ChartOutcome>? Charts { get; init; }

    /// <summary>The last placement decision (null until the bundle was first placed).</summary>
    public PlacementDecision? Placement { get; init; }

    /// <summary>The rollout's plan and each revision's objects, when the bundle has <c>spec.rollout</c>.</summary>
    public RolloutTarget? Rollout { get; init; }

    /// <summary>The revision <paramref name="cluster"/> is to be synced to; null: leave it alone (no sync, no prune).</summary>
    public string? RevisionFor(string cluster) => Rollout is null ? Revision : Rollout.RevisionOf(cluster);

    /// <summary>The objects <paramref name="cluster"/> gets: its revision's (or its chart render's), with its overrides applied (null when they failed).</summary>
    public ManifestSet? ManifestsFor(string cluster) =>
        Overrides?.GetValueOrDefault(cluster) is { } result ? result.Manifests
        : Charts is not null ? Charts.GetValueOrDefault(cluster)?.Manifests
        : Rollout is null ? Manifests
        : RevisionFor(cluster) is { } revision ? Rollout.Manifests.GetValueOrDefault(revision) : null;

    /// <summary>Why <see cref="ManifestsFor"/> has nothing for <paramref name="cluster"/>: its chart or its overrides failed.</summary>
    public string WhyNothingFor(string cluster)
    {
        if (Charts is not null && Charts.GetValueOrDefault(cluster) is not { Manifests: not null })
            return $"chart: {Charts.GetValueOrDefault(cluster)?.Error ?? "not rendered for this cluster yet"}";
        if (Overrides?.GetValueOrDefault(cluster)?.Errors is { Length: > 0 } errors)
            return $"overrides: {errors[0]}{(errors.Length > 1 ? $" (and {errors.Length - 1} more)" : "")}";
        return $"the objects of revision {RevisionFor(cluster)} are not rendered yet";
    }

    /// <summary>True when the change from <paramref name="previous"/> means <paramref name="cluster"/> must be looked at now.</summary>
    public bool ChangedFor(BundleTarget? previous, string cluster) =>
        previous is null
        // A problem that cleared (a dependency cycle broken by another bundle's edit) may leave the same revision and intents.
        || previous.Problem is not null
        || previous.Generation != Generation
        || previous.Revision != Revision
        || previous.RevisionFor(cluster) != RevisionFor(cluster)
        || previous.ReconcileRequestedAt != ReconcileRequestedAt
        // Override results are shared per distinct input, so the same instance means the same objects.
        || !ReferenceEquals(previous.Overrides?.GetValueOrDefault(cluster), Overrides?.GetValueOrDefault(cluster))
        // Chart outcomes are shared per render key in the same way.
        || !ReferenceEquals(previous.Charts?.GetValueOrDefault(cluster), Charts?.GetValueOrDefault(cluster))
        || previous.Clusters.GetValueOrDefault(cluster) != Clusters.GetValueOrDefault(cluster)
        || !previous.Clusters.ContainsKey(cluster);
}

/// <summary>Why a bundle cannot move on: <see cref="Reason"/> is the condition reason (SourceNotReady, RenderFailed, InvalidSpec).</summary>
public sealed record BundleProblem(string Reason, string Message, bool Stalled);
