using Flotilla.Core;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Rollouts;

/// <summary>
/// Plans a bundle's rollout for its reconcile: reads the state (this hub's last plan, or after a restart the status),
/// passes a new <c>flotilla rollout</c> command once, observes the placed clusters, calls <see cref="RolloutPlanner"/>,
/// and renders every revision the plan gives a cluster — older ones from their kept snapshots. A cluster whose revision
/// cannot be rendered (its snapshot is gone) or whose overrides fail on it is held back: it keeps what it has. A chart
/// bundle takes only the plan (<see cref="Plan"/>): its clusters' renders depend on each cluster's inputs too.
/// </summary>
public sealed class BundleRollouts(SourceArtifacts artifacts, RenderCache renders, ClusterDirectory directory, SyncResults results)
{
    /// <summary>The overrides prepared for one revision's objects: (null, null) when the bundle has none; a problem when they do not prepare.</summary>
    public delegate (PreparedOverrides? Prepared, BundleProblem? Problem) PrepareOverrides(string revision, ManifestSet manifests);

    /// <summary>
    /// The plan for the bundle now, and the id of the <c>flotilla rollout</c> command it took (passed once: the plan's
    /// state records it). A chart bundle's reconcile renders the plan's revisions itself (<see cref="Charts.BundleCharts.RenderPlannedAsync"/>).
    /// </summary>
    public (RolloutPlan Plan, string? CommandId) Plan(BundleResource bundle, BundleTarget? previous, IReadOnlyList<string> placed, string revision, DateTimeOffset now)
    {
        var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
        var spec = RolloutMapping.Spec(bundle.Spec.Rollout!, out _)!; // validated by BundleSpecProblem
        var stored = previous?.Rollout is { } last ? (last.Plan.State, last.CommandId) : (RolloutState.TryParse(bundle.Status?.Rollout?.State), bundle.Status?.Rollout?.LastCommandId);
        var request = RolloutCommandRequest.Read(bundle.Metadata.Annotations, out _);
        var fresh = request is not null && request.Id != stored.Item2;
        var observed = RolloutObservations.Of(placed.Order(StringComparer.Ordinal), directory.Get, results.Of(key), results.HistoriesOf(key), bundle.Status?.Clusters);
        var plan = RolloutPlanner.Plan(spec, stored.Item1, observed, revision, now, fresh ? [request!.Command()!] : null);
        return (plan, fresh ? request!.Id : stored.Item2);
    }

    /// <summary>The plan with each revision's objects, and each cluster's override result (null when the bundle has no overrides).</summary>
    public async Task<(RolloutTarget Target, IReadOnlyDictionary<string, OverrideResult>? Overrides)> PlanAsync(
        BundleResource bundle, BundleTarget? previous, IReadOnlyList<string> placed, SourceArtifact artifact, ManifestSet manifests,
        PrepareOverrides prepare, DateTimeOffset now, CancellationToken ct)
    {
        var (plan, commandId) = Plan(bundle, previous, placed, artifact.Revision, now);
        var sourceKey = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Spec.SourceRef.Name);
        var objects = new Dictionary<string, ManifestSet>(StringComparer.Ordinal) { [artifact.Revision] = manifests };
        var prepared = new Dictionary<string, PreparedOverrides?>(StringComparer.Ordinal);
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var revision in plan.Clusters.Select(c => c.Revision).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!objects.ContainsKey(revision))
            {
                if (await RenderAsync(sourceKey, revision, bundle.Spec.Path, ct) is { } older) objects[revision] = older;
                else
                {
                    unavailable[revision] = $"revision {Revisions.Short(revision)} is not available any more (its snapshot is gone or it does not render); kept as applied";
                    continue;
                }
            }
            var (overrides, problem) = prepare(revision, objects[revision]);
            if (problem is not null) unavailable[revision] = $"overrides do not prepare for revision {Revisions.Short(revision)}: {problem.Message}; kept as applied";
            else prepared[revision] = overrides;
        }

        var heldBack = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, OverrideResult>? perCluster = null;
        foreach (var c in plan.Clusters)
        {
            if (c.Revision is null) continue;
            if (unavailable.TryGetValue(c.Revision, out var why)) heldBack[c.Name] = why;
            else if (prepared[c.Revision] is { } rules && directory.Get(c.Name) is { } cluster)
                (perCluster ??= new(StringComparer.Ordinal))[c.Name] = rules.Apply(PlacementMapping.OverrideCluster(cluster));
        }
        var needed = plan.Clusters.Select(c => c.Revision).OfType<string>().Where(objects.ContainsKey).Append(artifact.Revision).ToHashSet(StringComparer.Ordinal);
        var target = new RolloutTarget(plan, objects.Where(o => needed.Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            commandId) { HeldBack = heldBack };
        return (target, perCluster);
    }

    private async Task<ManifestSet?> RenderAsync(string sourceKey, string revision, string? path, CancellationToken ct)
    {
        if (artifacts.SnapshotOf(sourceKey, revision) is not { } snapshot) return null;
        return (await renders.RenderAsync(snapshot, path, ct)).Manifests;
    }
}
