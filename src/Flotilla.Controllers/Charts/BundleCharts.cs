using Flotilla.Core;
using System.Collections.Concurrent;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Charts;
using Flotilla.Core.Overrides;
using Flotilla.Git.Render;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// Renders a chart bundle for its placed clusters: the values (files, inline, matching <c>clusterValues</c>, cluster
/// variables) and the cluster's discovered version and API versions make the <see cref="ChartRenderKey"/>, and
/// <see cref="ChartRenders"/> runs helm once per distinct key. A cluster whose values or discovery fail, or whose
/// render fails, gets that error alone; the others get their objects. A problem of the whole bundle (a values file
/// missing, a variable written wrongly) is returned as such: then no cluster gets anything new. Under a rollout
/// (<see cref="RenderPlannedAsync"/>) each cluster gets the chart of the revision its plan gives it.
/// </summary>
public sealed class BundleCharts(ChartRenderer renderer, ChartRenders renders, CapabilityCache capabilities, int parallelism = 8)
{
    /// <summary>The longest wait for one member's discovery before its render is given up for this reconcile.</summary>
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(10);

    public async Task<(IReadOnlyDictionary<string, ChartOutcome>? Outcomes, BundleProblem? Problem)> RenderAsync(
        BundleResource bundle, SourceArtifact artifact, string? chartPath, IReadOnlyList<ClusterResource> clusters, CancellationToken ct)
    {
        var helm = bundle.Spec.Helm ?? new BundleHelm();
        // A chart is read from the snapshot directory: the whole of it.
        await artifact.Exported.WaitAsync(ct);
        var (plan, problem) = Plan(helm, artifact);
        if (problem is not null) return (null, problem);

        chartPath = string.IsNullOrEmpty(chartPath) ? "." : chartPath;
        var release = helm.ReleaseName ?? bundle.Metadata.Name;
        var ns = bundle.Spec.TargetNamespace ?? "default";
        var outcomes = new ConcurrentDictionary<string, ChartOutcome>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(clusters, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (cluster, token) =>
        {
            var values = plan!.Resolve(PlacementMapping.OverrideCluster(cluster));
            if (values.Problem is not null)
            {
                outcomes[cluster.Metadata.Name] = ChartOutcome.Failed($"spec.helm: {values.Problem}");
                return;
            }

            Kube.Discovery.ClusterCapabilities found;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                deadline.CancelAfter(DiscoveryTimeout);
                try
                {
                    found = await capabilities.GetAsync(cluster, deadline.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    var why = e is OperationCanceledException ? $"no answer within {DiscoveryTimeout.TotalSeconds:0}s" : e.Message;
                    outcomes[cluster.Metadata.Name] = ChartOutcome.Failed($"the chart needs the cluster's API versions, and discovery failed: {why}");
                    return;
                }
            }

            var key = new ChartRenderKey(artifact.Revision, chartPath, release, ns, values.Json!, found.KubeVersion, found.ApiVersions,
                helm.IncludeTests == true, helm.SkipCrds == true);
            outcomes[cluster.Metadata.Name] = await renders.RenderAsync(artifact.SnapshotDirectory, key, token);
        });
        return (outcomes, null);
    }

    /// <summary>
    /// Renders each cluster's chart at the revision a rollout plan gives it: the revision is part of the render key, so
    /// helm still runs once per distinct (revision, inputs). A cluster whose revision is gone (its snapshot collected)
    /// or whose older revision has a problem of the whole bundle is held back with why; it keeps what it has. A problem
    /// of the current revision is the bundle's problem, as without a rollout, even while no cluster is given it yet.
    /// </summary>
    /// <param name="current">The source's current revision.</param>
    /// <param name="planned">The clusters the plan gives a revision, with it.</param>
    /// <param name="older">An earlier revision's chart, or null when it is not available any more.</param>
    public async Task<(IReadOnlyDictionary<string, ChartOutcome>? Outcomes, IReadOnlyDictionary<string, string> HeldBack, BundleProblem? Problem)> RenderPlannedAsync(
        BundleResource bundle, ChartSource current, IReadOnlyList<(ClusterResource Cluster, string Revision)> planned, Func<string, ChartSource?> older, CancellationToken ct)
    {
        var outcomes = new Dictionary<string, ChartOutcome>(StringComparer.Ordinal);
        var heldBack = new Dictionary<string, string>(StringComparer.Ordinal);
        var byRevision = planned.GroupBy(p => p.Revision, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Cluster).ToList(), StringComparer.Ordinal);
        byRevision.TryAdd(current.Artifact.Revision, []);
        foreach (var (revision, clusters) in byRevision.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var isCurrent = revision == current.Artifact.Revision;
            if ((isCurrent ? current : older(revision)) is not { } source)
            {
                foreach (var c in clusters) heldBack[c.Metadata.Name] = $"revision {Revisions.Short(revision)} is not available any more (its snapshot or cached chart is gone); kept as applied";
                continue;
            }
            var (rendered, problem) = await RenderAsync(bundle, source.Artifact, source.ChartPath, clusters, ct);
            if (problem is not null)
            {
                if (isCurrent) return (null, heldBack, problem);
                foreach (var c in clusters) heldBack[c.Metadata.Name] = $"revision {Revisions.Short(revision)} does not render: {problem.Message}";
                continue;
            }
            foreach (var (cluster, outcome) in rendered!) outcomes[cluster] = outcome;
        }
        return (outcomes, heldBack, null);
    }

    private (ChartValuesPlan? Plan, BundleProblem? Problem) Plan(BundleHelm helm, SourceArtifact artifact)
    {
        var (files, errors) = renderer.ReadValuesFiles(artifact.SnapshotDirectory, helm.ValuesFiles ?? []);
        if (errors.Count > 0)
            return (null, new("RenderFailed", $"spec.helm.valuesFiles: {string.Join("; ", errors.Take(3))}; clusters keep what they have", Stalled: true));
        List<ClusterValuesRule> rules;
        try
        {
            rules = [.. (helm.ClusterValues ?? []).Select(r => new ClusterValuesRule(OverrideRuleReader.Selector(r.ClusterSelector), r.Values))];
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return (null, new("InvalidSpec", $"spec.helm.clusterValues: {e.Message}", Stalled: true));
        }

        var plan = ChartValuesPlan.Prepare(files, helm.Values, rules, out var problem);
        return problem is null ? (plan, null) : (null, new("InvalidSpec", problem, Stalled: true));
    }
}
