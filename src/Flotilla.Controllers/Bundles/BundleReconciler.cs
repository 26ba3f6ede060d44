using System.Collections.Immutable;
using Flotilla.Controllers.Charts;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Controllers.Runtime;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Dependencies;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Rollout;
using Flotilla.Git.Render;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Reconciles a Bundle (key <c>namespace/name</c>) without touching any member: validates the spec, renders the
/// source's revision (cached), places it (<see cref="PlacementEngine"/>, looking again when a toleration's seconds
/// run out), applies each placed cluster's overrides (shared per distinct input), and publishes the
/// <see cref="BundleTarget"/> the per-cluster workers sync to. Only the (bundle, cluster) pairs the change affects are queued: a new revision or spec queues the
/// bundle's clusters, a relabel queues only the clusters that joined or left. Keeps the finalizer until every
/// member is cleaned (or removed from the registry). A render error or a failed source changes nothing anywhere.
/// With <c>spec.rollout</c>, <see cref="BundleRollouts"/> plans which revision each placed cluster gets now; the bundle
/// is reconciled again when one of its pairs reports (see <see cref="ClusterSyncReconciler"/>) and at the plan's recheck.
/// Keeps <see cref="BundleDependencies"/> up to date; a bundle in a <c>dependsOn</c> cycle is Stalled (DependencyCycle) and
/// nothing is applied for it, its clusters keeping what they have. A path holding a Helm chart is rendered per placed
/// cluster instead, once per distinct input (<see cref="BundleCharts"/>); a cluster whose chart fails keeps what it has.
/// A chart bundle rolls out as plain YAML does: the plan gives each cluster a revision, and the cluster gets the chart of
/// that revision rendered with its own inputs.
/// </summary>
public sealed class BundleReconciler(IKubernetes hub, ObjectDiscovery bundles, SourceArtifacts artifacts, RenderCache renders, ClusterDirectory directory,
    BundleTargets targets, SyncResults results, WorkQueue<string> pairs, Action<string, bool> statusChanged, ClusterSyncOptions options, TimeProvider clock,
    BundleRollouts rollouts, PlacementMemo placements, BundleDependencies dependencies, BundleCharts charts, HelmChartSources helmCharts) : IReconciler<string>
{
    public const string Finalizer = FlotillaApi.CleanupFinalizer;

    private static readonly IReadOnlyDictionary<string, string> NoneHeldBack = new Dictionary<string, string>(StringComparer.Ordinal);

    // A chart bundle's objects are per cluster (BundleTarget.Charts), never one set per revision.
    private static readonly IReadOnlyDictionary<string, ManifestSet> NoRevisionObjects = new Dictionary<string, ManifestSet>(StringComparer.Ordinal);

    /// <summary>How often a chart bundle is rendered again for its clusters' current capabilities.</summary>
    private static readonly TimeSpan ChartRecheck = TimeSpan.FromSeconds(30);

    // The prepared overrides of each bundle for its generation, by revision (a rollout may give clusters several):
    // their per-cluster results are cached inside, so clusters with the same inputs share one result and a resync
    // finds the same instance.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Generation, ImmutableDictionary<string, PreparedOverrides> ByRevision)> _overrides = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        await dependencies.LoadAsync(hub, ct);
        var bundle = await bundles.GetAsync<BundleResource>(key, ct);
        // Finalizers are patched against the hub's own copy, never against the watch's, which may be a write behind.
        if (bundle is not null && (bundle.Metadata.DeletionTimestamp is not null || bundle.Metadata.Finalizers?.Contains(Finalizer) != true))
            bundle = await FlotillaObjects.FindAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle is null)
        {
            dependencies.Remove(key);
            targets.Remove(key);
            results.Forget(key);
            _overrides.TryRemove(key, out _);
            placements.Forget(key);
            return ReconcileResult.Success;
        }
        dependencies.Set(bundle);
        await directory.Ready.WaitAsync(ct);
        var previous = targets.Get(key);
        var known = Known(bundle, previous);

        if (bundle.Metadata.DeletionTimestamp is not null)
        {
            if (bundle.Metadata.Finalizers?.Contains(Finalizer) != true) return ReconcileResult.Success;
            var pending = known.Where(c => !results.IsRemoved(key, c) && directory.Get(c) is not null).ToList();
            if (pending.Count == 0)
            {
                await FinalizersPatch.RemoveAsync(hub, bundle, Finalizer, ct);
                targets.Remove(key);
                results.Forget(key);
                return ReconcileResult.Success;
            }
            Publish(previous, Base(bundle, previous) with { Clusters = pending.ToDictionary(c => c, _ => ClusterIntent.Remove, StringComparer.Ordinal) });
            return ReconcileResult.Success;
        }
        if (bundle.Metadata.Finalizers?.Contains(Finalizer) != true) await FinalizersPatch.AddAsync(hub, bundle, Finalizer, ct);
        if (bundle.Spec.Suspend == true) return ReconcileResult.Success;

        if (BundleSpecProblem.Of(bundle) is { } invalid)
        {
            Publish(previous, Base(bundle, previous) with { Problem = invalid });
            return ReconcileResult.Stalled(invalid.Message);
        }
        if (dependencies.Graph.CycleThrough(key) is { IsEmpty: false } cycle)
        {
            var message = $"spec.dependsOn: dependency cycle {DependencyGraph.Describe(cycle)}; nothing is applied for it until the cycle is broken, clusters keep what they have";
            Publish(previous, Base(bundle, previous) with { Problem = new("DependencyCycle", message, Stalled: true) });
            return ReconcileResult.Stalled(message);
        }
        var target = Base(bundle, previous);
        var path = bundle.Spec.Path;
        SourceArtifact? artifact;
        if (bundle.Spec.SourceRef.IsHelmRepository)
        {
            (artifact, path, var sourceProblem) = await helmCharts.ResolveAsync(bundle, ct);
            if (sourceProblem is not null)
            {
                Publish(previous, target with { Problem = sourceProblem });
                return sourceProblem.Stalled ? ReconcileResult.Stalled(sourceProblem.Message) : ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(10));
            }
        }
        else artifact = artifacts.Get(ObjectKey.Of(ns, bundle.Spec.SourceRef.Name));
        if (artifact is null)
        {
            Publish(previous, target with { Problem = new("SourceNotReady", $"waiting for GitRepository {bundle.Spec.SourceRef.Name} to be fetched", Stalled: false) });
            return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(10));
        }
        var isChart = bundle.Spec.SourceRef.IsHelmRepository || await IsChartAsync(artifact, path, ct);
        var rendered = isChart ? null : await renders.RenderAsync(artifact, bundle.Spec.Path, ct);
        if (rendered is { Manifests: null })
        {
            var errors = rendered.Errors.Select(e => e.ToString()).ToList();
            var message = string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : "");
            // Clusters keep what they have: the previous target (revision and intents) stays, only the problem is shown.
            Publish(previous, target with { Problem = new("RenderFailed", $"revision {artifact.Revision[..Math.Min(12, artifact.Revision.Length)]} does not render; clusters keep what they have: {message}", Stalled: true) });
            return ReconcileResult.Stalled($"render of {artifact.Revision} failed");
        }

        var now = clock.GetUtcNow();
        var (prepared, overridesInvalid) = rendered is null ? (null, null) : Overrides(key, bundle, artifact.Revision, rendered.Manifests!);
        if (overridesInvalid is not null)
        {
            Publish(previous, target with { Problem = overridesInvalid });
            return ReconcileResult.Stalled(overridesInvalid.Message);
        }
        // A rollout decides with the whole fleet in view: placed before its clusters were first probed (a hub that just
        // started), a run could pass stages that are only empty for now, gates included, and hand their clusters the
        // revision when they arrive.
        if (bundle.Spec.Rollout is not null && directory.Placeable.FirstOrDefault(c => c.Status?.Conditions?.Any(x => x.Type == "Available") != true) is { } unprobed)
        {
            if (previous is null) Publish(previous, target with { Problem = new("ClustersNotProbed", $"waiting for cluster {unprobed.Metadata.Name} to be probed before the rollout plans", Stalled: false) });
            return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(2));
        }
        var decision = placements.Decide(key, bundle.Metadata.Generation ?? 0, () => PlacementMapping.Spec(bundle.Spec.Placement),
            new PlacementInput(directory.PlaceableFacts, now)
            {
                Current = Current(bundle, previous),
                BundleCounts = targets.CountsExcept(key),
            }).Decision;
        var clusters = decision.Selected.ToDictionary(c => c, _ => ClusterIntent.Sync, StringComparer.Ordinal);
        foreach (var left in known.Where(c => !clusters.ContainsKey(c) && !results.IsRemoved(key, c) && directory.Get(c) is not null)) clusters[left] = ClusterIntent.Remove;
        var placed = target with { Revision = artifact.Revision, Manifests = rendered?.Manifests ?? ManifestSet.Empty, Clusters = clusters, Problem = null, Placement = decision, Charts = null };
        DateTimeOffset? recheck = decision.RecheckAt;
        if (isChart)
        {
            (RolloutPlan Plan, string? CommandId)? planned = bundle.Spec.Rollout is null ? null : rollouts.Plan(bundle, previous, decision.Selected, artifact.Revision, now);
            var (outcomes, heldBack, problem) = await ChartsAsync(bundle, new ChartSource(artifact, path), decision.Selected, planned?.Plan, ct);
            if (problem is not null)
            {
                Publish(previous, target with { Problem = problem });
                return ReconcileResult.Stalled(problem.Message);
            }
            var (withOverrides, overrides) = ChartOverrides(key, bundle, outcomes!);
            var rollout = planned is { } p ? new RolloutTarget(p.Plan, NoRevisionObjects, p.CommandId) { HeldBack = heldBack } : null;
            Publish(previous, placed with { Charts = withOverrides, Overrides = overrides, Rollout = rollout });
            // A chart's output depends on what its clusters serve, which changes without any event here (a CRD another
            // bundle installs): look again. Unchanged inputs hit the render cache and queue no cluster.
            if (recheck is null || recheck > now + ChartRecheck) recheck = now + ChartRecheck;
            if (rollout?.Plan.RecheckAt is { } at && at < recheck) recheck = at;
        }
        else if (bundle.Spec.Rollout is null)
        {
            KeepOverrides(key, [artifact.Revision]);
            var overrides = prepared is null ? null : decision.Selected.ToDictionary(c => c, c => prepared.Apply(PlacementMapping.OverrideCluster(directory.Get(c)!)), StringComparer.Ordinal);
            Publish(previous, placed with { Overrides = overrides, Rollout = null });
        }
        else
        {
            var (rollout, overrides) = await rollouts.PlanAsync(bundle, previous, decision.Selected, artifact, rendered!.Manifests!,
                (revision, manifests) => Overrides(key, bundle, revision, manifests), now, ct);
            KeepOverrides(key, rollout.Manifests.Keys);
            Publish(previous, placed with { Overrides = overrides, Rollout = rollout });
            if (rollout.Plan.RecheckAt is { } at && (recheck is null || at < recheck)) recheck = at;
        }
        return recheck is { } next ? ReconcileResult.RequeueAfter(next > now ? next - now : TimeSpan.Zero) : ReconcileResult.Success;
    }

    // From the commit's listing while its snapshot is being exported, unless only the snapshot can tell.
    private static async Task<bool> IsChartAsync(SourceArtifact artifact, string? path, CancellationToken ct)
    {
        if (artifact.Listing is { } listing && ChartRenderer.IsChart(listing, path) is { } listed) return listed;
        await artifact.Exported.WaitAsync(ct);
        return ChartRenderer.IsChart(artifact.SnapshotDirectory, path);
    }

    /// <summary>
    /// Renders the chart for the placed clusters: the source's revision everywhere, or under a rollout each cluster's
    /// planned revision (a cluster the plan leaves alone gets no render; one whose revision is gone is held back).
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, ChartOutcome>? Outcomes, IReadOnlyDictionary<string, string> HeldBack, BundleProblem? Problem)> ChartsAsync(
        BundleResource bundle, ChartSource current, IReadOnlyList<string> placed, RolloutPlan? plan, CancellationToken ct)
    {
        if (plan is null)
        {
            var (outcomes, problem) = await charts.RenderAsync(bundle, current.Artifact, current.ChartPath, [.. placed.Select(c => directory.Get(c)).OfType<ClusterResource>()], ct);
            return (outcomes, NoneHeldBack, problem);
        }
        var sourceKey = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Spec.SourceRef.Name);
        ChartSource? Older(string revision) => bundle.Spec.SourceRef.IsHelmRepository ? helmCharts.SnapshotOf(revision)
            : artifacts.SnapshotOf(sourceKey, revision) is { } snapshot ? new ChartSource(snapshot, bundle.Spec.Path) : null;
        List<(ClusterResource, string)> revisions = [.. plan.Clusters
            .Select(c => (Cluster: directory.Get(c.Name), c.Revision))
            .Where(c => c is { Cluster: not null, Revision: not null })
            .Select(c => (c.Cluster!, c.Revision!))];
        return await charts.RenderPlannedAsync(bundle, current, revisions, Older, ct);
    }

    /// <summary>
    /// Applies the bundle's overrides to each cluster's render, prepared once per distinct render (the render key stands
    /// in for the revision in the overrides cache). A cluster whose overrides do not prepare on its render gets that as
    /// its chart error.
    /// </summary>
    private (IReadOnlyDictionary<string, ChartOutcome> Outcomes, IReadOnlyDictionary<string, OverrideResult>? Overrides) ChartOverrides(
        string key, BundleResource bundle, IReadOnlyDictionary<string, ChartOutcome> outcomes)
    {
        if (bundle.Spec.Overrides is not { Count: > 0 })
        {
            KeepOverrides(key, []);
            return (outcomes, null);
        }
        var withOverrides = new Dictionary<string, ChartOutcome>(outcomes, StringComparer.Ordinal);
        var results = new Dictionary<string, OverrideResult>(StringComparer.Ordinal);
        foreach (var (cluster, outcome) in outcomes)
        {
            if (outcome is not { Manifests: { } manifests, RenderKey: { } renderKey }) continue;
            var (prepared, invalid) = Overrides(key, bundle, renderKey, manifests);
            if (invalid is not null) withOverrides[cluster] = ChartOutcome.Failed(invalid.Message, renderKey);
            else if (prepared is not null && directory.Get(cluster) is { } resource) results[cluster] = prepared.Apply(PlacementMapping.OverrideCluster(resource));
        }
        KeepOverrides(key, outcomes.Values.Select(o => o.RenderKey).OfType<string>());
        return (withOverrides, results);
    }

    /// <summary>Forgets the prepared overrides of revisions no cluster is given any more.</summary>
    private void KeepOverrides(string key, IEnumerable<string> revisions)
    {
        if (!_overrides.TryGetValue(key, out var cached)) return;
        var keep = revisions.ToHashSet(StringComparer.Ordinal);
        _overrides[key] = (cached.Generation, cached.ByRevision.Where(e => keep.Contains(e.Key)).ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Prepares the bundle's override rules for this revision once (cached per generation and revision). A rule that
    /// cannot be read, or a variable the manifests misuse, is a problem of the whole bundle: clusters keep what they have.
    /// </summary>
    private (PreparedOverrides? Prepared, BundleProblem? Problem) Overrides(string key, BundleResource bundle, string revision, ManifestSet manifests)
    {
        if (bundle.Spec.Overrides is not { Count: > 0 } raw) return (null, null);
        var generation = bundle.Metadata.Generation ?? 0;
        var byRevision = _overrides.TryGetValue(key, out var cached) && cached.Generation == generation ? cached.ByRevision : ImmutableDictionary.Create<string, PreparedOverrides>(StringComparer.Ordinal);
        if (byRevision.TryGetValue(revision, out var known)) return (known, null);
        IReadOnlyList<OverrideRuleError> errors;
        try
        {
            if (BundleOverrides.TryPrepare(OverrideRuleReader.Read(raw), manifests, out var prepared, out errors))
            {
                _overrides[key] = (generation, byRevision.SetItem(revision, prepared!));
                return (prepared, null);
            }
        }
        catch (FormatException e)
        {
            return (null, new("InvalidSpec", e.Message, Stalled: true));
        }
        var more = errors.Count > 3 ? $" (and {errors.Count - 3} more)" : "";
        return (null, new("InvalidSpec", "spec.overrides: " + string.Join("; ", errors.Take(3)) + more, Stalled: true));
    }

    /// <summary>
    /// The clusters the bundle is on now, for Steady placement and toleration grace: the last decision this hub made,
    /// or after a restart the one in status (or, before placement was recorded, the clusters status lists).
    /// </summary>
    // The targets' own set instance while the clusters stay the same, so the placement memo sees no change without comparing.
    private IReadOnlySet<string> Current(BundleResource bundle, BundleTarget? previous) =>
        previous is not null
            ? targets.Synced(previous.BundleKey)
            : (bundle.Status?.Placement?.Selected ?? bundle.Status?.Clusters?.Select(c => c.Name) ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Stores the target, queues the pairs it changes (their backoff starts over) and asks for a status write, saying
    /// whether results are to come (pairs were queued).
    /// </summary>
    private void Publish(BundleTarget? previous, BundleTarget target)
    {
        targets.Set(target);
        dependencies.Published(previous, target);
        var queued = false;
        foreach (var cluster in target.Clusters.Keys)
        {
            if (!target.ChangedFor(previous, cluster) || target.Problem is not null) continue;
            var pair = ClusterSyncKey.Of(target.BundleKey, cluster);
            pairs.Forget(pair);
            pairs.Add(pair);
            queued = true;
        }
        statusChanged(target.BundleKey, queued);
    }

    /// <summary>The target with this generation's policy, keeping the previous revision, objects, overrides, rollout and intents.</summary>
    private BundleTarget Base(BundleResource bundle, BundleTarget? previous) => new(
        ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name),
        bundle.Metadata.Generation ?? 0,
        previous?.Revision,
        previous?.Manifests ?? ManifestSet.Empty,
        BundlePolicy.Of(bundle),
        previous?.Clusters ?? new Dictionary<string, ClusterIntent>(StringComparer.Ordinal),
        OrphanOnRemove: bundle.Spec.DeletionPolicy == "Orphan",
        Interval: SafeDuration(bundle.Spec.Sync?.Interval) ?? options.DefaultInterval,
        Timeout: SafeDuration(bundle.Spec.Sync?.Timeout) ?? options.DefaultTimeout)
    {
        Uid = bundle.Metadata.Uid,
        Overrides = previous?.Overrides,
        Charts = previous?.Charts,
        Rollout = previous?.Rollout,
        ReconcileRequestedAt = bundle.Metadata.Annotations is { } annotations && annotations.TryGetValue(ObjectDiscovery.ReconcileRequestAnnotation, out var requested) ? requested : null,
    };

    private static TimeSpan? SafeDuration(string? text)
    {
        try { return Durations.Parse(text); }
        catch (ArgumentException) { return null; } // reported as InvalidSpec by BundleSpecProblem
    }

    /// <summary>Clusters that may hold the bundle's objects: in its status, its last results or its last target.</summary>
    private HashSet<string> Known(BundleResource bundle, BundleTarget? previous)
    {
        var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in bundle.Status?.Clusters ?? []) known.Add(c.Name);
        foreach (var c in results.Of(key).Keys) known.Add(c);
        foreach (var c in previous?.Clusters.Keys ?? []) known.Add(c);
        return known;
    }
}
