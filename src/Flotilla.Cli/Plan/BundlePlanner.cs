using System.Collections.Immutable;
using Flotilla.Cli.Commands;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Rollout;
using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;
using k8s;

namespace Flotilla.Cli.Plan;

/// <summary>
/// Plans one bundle as the hub would sync it from <see cref="PlanSource"/>: fetch and render, place it over the registered
/// clusters with the hub's engine (the recorded decision as the current one), apply each placed cluster's overrides, and
/// run each cluster's sync as a preview (the executor's planner and server-side dry-runs, no writes); a cluster the
/// bundle would leave gets the preview of its removal. Reads only: nothing on the hub or a member is written.
/// One cluster that fails (unreachable, past <c>clusterTimeout</c>, an override that fails there) fails alone.
/// </summary>
public sealed class BundlePlanner(IKubernetes hub, MemberPreviews members, ChartPreviews charts, IReadOnlyList<ClusterResource> clusters,
    IReadOnlyList<BundleResource> allBundles, PlanSource source, TimeSpan clusterTimeout)
{
    private const int Parallelism = 8;

    // Bundles of one GitRepository share its fetch (a plan is one moment: the ref is read once). PlanAsync is called
    // for one bundle at a time.
    private readonly Dictionary<string, GitFetchResult> _fetched = new(StringComparer.Ordinal);

    public async Task<BundlePlan> PlanAsync(BundleResource bundle, CancellationToken ct)
    {
        var plan = new BundlePlan(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
        if (BundleSpecProblem.Of(bundle) is { } problem) return plan with { Errors = [problem.Message] };
        var rollout = bundle.Spec.Rollout is { } raw ? RolloutMapping.Spec(raw, out _) : null;
        PreviewSource source;
        try { source = await SourceAsync(bundle, ct); }
        catch (Exception e) when (e is GitFetchException || (e is InvalidOperationException && bundle.Spec.SourceRef.IsHelmRepository))
        {
            return plan with { Errors = [e.Message] };
        }
        var revision = source.Revision;
        plan = plan with { Revision = revision };

        var decision = HubPlacement.Decide(PlacementMapping.Spec(bundle.Spec.Placement), bundle, clusters, allBundles, DateTimeOffset.UtcNow);
        var current = HubPlacement.Current(bundle);
        var involved = clusters.Where(c => decision.Selected.Contains(c.Metadata.Name) || current.Contains(c.Metadata.Name)).ToList();
        var (objects, errors) = await ObjectsAsync(bundle, source, involved.Where(c => decision.Selected.Contains(c.Metadata.Name)).ToList(), ct);
        if (errors is not null) return plan with { Errors = [.. errors] };
        var planned = new ClusterPlan[involved.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, involved.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => planned[i] = await PlanClusterAsync(bundle, involved[i], decision, current, revision, objects, rollout, token));
        return plan with
        {
            Clusters = [.. planned.OrderBy(c => c.Cluster, StringComparer.Ordinal)],
            RolloutStrategy = rollout?.Strategy.ToString(),
            Stages = rollout is null ? [] : [.. rollout.EffectiveStages().Select(s => s.Name)],
        };
    }

    /// <summary>
    /// The bundle's source as the plan sees it: the directory or ref asked for when the source is Git; a HelmRepository
    /// bundle's chart as the repository's index resolves it now (a branch or directory does not move a chart version).
    /// </summary>
    private async Task<PreviewSource> SourceAsync(BundleResource bundle, CancellationToken ct)
    {
        if (bundle.Spec.SourceRef.IsHelmRepository) return await BundlePreview.FetchChartAsync(hub, bundle, ct);
        if (source.Directory is { } directory)
            return new($"directory {directory}", directory, Git.Render.ChartRenderer.IsChart(directory, bundle.Spec.Path), bundle.Spec.Path);
        return BundlePreview.Of(await FetchAsync(bundle, ct), bundle);
    }

    /// <summary>
    /// What each selected cluster would get before overrides, as the hub renders it: plain YAML and kustomize once for
    /// all, a chart once per distinct input (values, the member's capabilities). Errors of the whole bundle, or null.
    /// </summary>
    private async Task<(Func<string, ClusterObjects> Objects, List<string>? Errors)> ObjectsAsync(
        BundleResource bundle, PreviewSource source, IReadOnlyList<ClusterResource> selected, CancellationToken ct)
    {
        if (!source.IsChart)
        {
            var rendered = await BundlePreview.RenderAsync(source.Root, bundle, ct);
            if (rendered.Manifests is not { } manifests) return (_ => default, [.. rendered.Errors.Select(e => e.ToString())]);
            var prepared = BundlePreview.PrepareOverrides(bundle, manifests, out var invalid);
            if (invalid.Count > 0) return (_ => default, [.. invalid]);
            return (_ => new ClusterObjects(manifests, prepared, null), null);
        }

        var (outcomes, problem) = await charts.RenderAsync(source, bundle, selected, ct);
        if (problem is not null) return (_ => default, [problem]);
        // Overrides are prepared once per distinct render, as on the hub.
        var byRender = new Dictionary<ManifestSet, (PreparedOverrides? Prepared, string? Error)>(ReferenceEqualityComparer.Instance);
        foreach (var manifests in outcomes!.Values.Select(o => o.Manifests).OfType<ManifestSet>().Distinct(ReferenceEqualityComparer.Instance).Cast<ManifestSet>())
        {
            var prepared = BundlePreview.PrepareOverrides(bundle, manifests, out var invalid);
            byRender[manifests] = (prepared, invalid.Count > 0 ? string.Join("; ", invalid) : null);
        }
        return (cluster => outcomes.GetValueOrDefault(cluster) switch
        {
            { Manifests: { } manifests } => new ClusterObjects(byRender[manifests].Error is null ? manifests : null, byRender[manifests].Prepared, byRender[manifests].Error),
            { Error: var error } => new ClusterObjects(null, null, $"chart: {error}"),
            null => new ClusterObjects(null, null, "chart: not rendered for this cluster"),
        }, null);
    }

    /// <summary>One cluster's objects before overrides and its prepared overrides, or why it has none.</summary>
    private readonly record struct ClusterObjects(ManifestSet? Manifests, PreparedOverrides? Prepared, string? Error);

    /// <summary>The first of the source's candidate refs that exists (a bare name: the branch, else the tag).</summary>
    private async Task<GitFetchResult> FetchAsync(BundleResource bundle, CancellationToken ct)
    {
        var key = $"{bundle.Metadata.NamespaceProperty}/{bundle.Spec.SourceRef.Name}";
        if (_fetched.TryGetValue(key, out var known)) return known;
        return _fetched[key] = await FetchFirstAsync(bundle, ct);
    }

    private async Task<GitFetchResult> FetchFirstAsync(BundleResource bundle, CancellationToken ct)
    {
        if (source.Refs is not { } refs) return await BundlePreview.FetchAsync(hub, bundle, at: null, ct);
        for (var i = 0; ; i++)
        {
            try { return await BundlePreview.FetchAsync(hub, bundle, refs[i], ct); }
            catch (GitFetchException e) when (e.Kind == GitFailureKind.RefNotFound && i < refs.Count - 1) { }
        }
    }

    private async Task<ClusterPlan> PlanClusterAsync(BundleResource bundle, ClusterResource cluster, PlacementDecision decision, IReadOnlySet<string> current,
        string revision, Func<string, ClusterObjects> objectsOf, RolloutSpec? rollout, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var outcome = decision.Outcomes.FirstOrDefault(o => o.Cluster == name);
        var selected = decision.Selected.Contains(name);
        var membership = !selected ? PlanMembership.Leaves : current.Contains(name) ? PlanMembership.Stays : PlanMembership.Joins;
        var plan = new ClusterPlan(name, membership)
        {
            Reason = selected ? $"selected, score {outcome?.Score}" : outcome?.Reason,
            Stage = selected && rollout is not null ? RolloutMapping.StageOf(rollout, Labels(cluster)) ?? "(matches no stage: unmatched is Error)" : null,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(clusterTimeout);
        try
        {
            if (!selected) return plan with { Changes = Shown(await members.RemovalAsync(cluster, bundle, deadline.Token)) };
            if (objectsOf(name) is not { Manifests: { } manifests } rendered) return plan with { Error = objectsOf(name).Error };
            var overridden = BundlePreview.ForCluster(rendered.Prepared, manifests, cluster);
            plan = plan with { AppliedOverrides = [.. overridden.Applied] };
            if (overridden.Manifests is not { } objects) return plan with { Error = $"overrides: {string.Join("; ", overridden.Errors)}" };
            var request = new SyncRequest(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name, revision, objects, BundlePolicy.Of(bundle));
            return plan with { Changes = Shown(await members.DryRunAsync(cluster, request, deadline.Token)) };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return plan with { Error = $"no answer within {clusterTimeout.TotalSeconds:0}s" };
        }
        catch (Exception e) when (e is ClusterUnreachableException or HttpRequestException or IOException or KubeApiException
            or InvalidCredentialsException or TimeoutException or k8s.Autorest.HttpOperationException)
        {
            return plan with { Error = e is HttpRequestException or IOException ? $"cannot reach the cluster: {e.Message}" : e.Message };
        }
    }

    private static ImmutableArray<ObjectChange> Shown(IReadOnlyList<ObjectDiff> diffs) => [.. diffs.Where(ObjectDiffText.Shown).Select(ObjectChange.From)];

    private static IReadOnlyDictionary<string, string> Labels(ClusterResource cluster) =>
        new Dictionary<string, string>(cluster.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
}
