using Flotilla.Controllers;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Charts;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;

namespace Flotilla.Cli.Commands;

/// <summary>
/// The steps <c>flotilla diff</c> and <c>flotilla plan</c> share, each done as the hub does it: fetch the bundle's source,
/// render its path and apply a cluster's overrides; <see cref="MemberPreviews"/> runs the sync executor on the member.
/// </summary>
public static class BundlePreview
{
    private static string CliDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".flotilla");
    private static string GitWorkDirectory => Path.Combine(CliDirectory, "cli-git");
    private static string ChartCacheDirectory => Path.Combine(CliDirectory, "cli-charts");

    /// <summary>A Git fetch as a preview source: a chart when the bundle's path holds <c>Chart.yaml</c>.</summary>
    public static PreviewSource Of(GitFetchResult fetched, BundleResource bundle) =>
        new(fetched.CommitSha, fetched.SnapshotDirectory, ChartRenderer.IsChart(fetched.SnapshotDirectory, bundle.Spec.Path), bundle.Spec.Path);

    /// <summary>
    /// The chart of a bundle whose source is a HelmRepository, resolved as the hub resolves it (<see cref="HelmChartSources"/>:
    /// the index read now with the repository's Secret, the version range, the digest checked) into the CLI's own
    /// content-addressed cache. A repository that cannot be read, or a chart that does not resolve, is an error naming it.
    /// </summary>
    public static async Task<PreviewSource> FetchChartAsync(IKubernetes hub, BundleResource bundle, CancellationToken ct)
    {
        var (ns, name) = (bundle.Metadata.NamespaceProperty, bundle.Spec.SourceRef.Name);
        var repository = await FlotillaObjects.GetAsync<HelmRepositoryResource>(hub, ns, HelmRepositoryResource.Plural, name, ct);
        var client = new HelmRepositoryClient(new HelmRepositoryOptions { CacheDirectory = ChartCacheDirectory });
        var indexes = new HelmIndexes();
        try
        {
            var url = new Uri(repository.Spec.Url);
            var credentials = await HelmRepositorySecrets.ReadAsync(hub, repository, ct);
            var (index, digest) = await client.FetchIndexAsync(url, credentials, ct);
            indexes.Set(ObjectKey.Of(ns, name), new HelmIndex(url, credentials, index, digest));
        }
        catch (Exception e) when (e is HelmRepositoryException or UriFormatException)
        {
            throw new InvalidOperationException($"HelmRepository {ns}/{name}: {e.Message}", e);
        }
        var (artifact, chartPath, problem) = await new HelmChartSources(indexes, client).ResolveAsync(bundle, ct);
        if (problem is not null) throw new InvalidOperationException($"HelmRepository {ns}/{name}: {problem.Message}");
        return new(artifact!.Revision, artifact.SnapshotDirectory, IsChart: true, chartPath);
    }

    /// <summary>Fetches the bundle's GitRepository at <paramref name="at"/>, or at the ref the source follows when null.</summary>
    public static async Task<GitFetchResult> FetchAsync(IKubernetes hub, BundleResource bundle, GitRef? at, CancellationToken ct)
    {
        var repository = await FlotillaObjects.GetAsync<GitRepositoryResource>(hub, bundle.Metadata.NamespaceProperty, GitRepositoryResource.Plural, bundle.Spec.SourceRef.Name, ct);
        var spec = await GitSourceSpecs.FromAsync(new HubSecrets(hub), repository, ct);
        return await new GitFetcher(new GitFetcherOptions { WorkDirectory = GitWorkDirectory, AllowLocal = true }, TimeProvider.System)
            .FetchAsync(at is null ? spec : spec with { Ref = at }, ct);
    }

    /// <summary>Renders the bundle's <c>spec.path</c> inside <paramref name="root"/> (a snapshot or a local directory).</summary>
    public static Task<RenderResult> RenderAsync(string root, BundleResource bundle, CancellationToken ct) =>
        new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(new KustomizeRunnerOptions()))
            .RenderAsync(root, string.IsNullOrEmpty(bundle.Spec.Path) ? "." : bundle.Spec.Path, ct);

    /// <summary>
    /// The bundle's override rules prepared for <paramref name="manifests"/>: null (and no errors) without rules; null
    /// with every problem when a rule cannot be read or a variable is misused (the hub stalls such a bundle).
    /// </summary>
    public static PreparedOverrides? PrepareOverrides(BundleResource bundle, ManifestSet manifests, out IReadOnlyList<string> errors)
    {
        errors = [];
        if (bundle.Spec.Overrides is not { Count: > 0 } rules) return null;
        try
        {
            if (BundleOverrides.TryPrepare(OverrideRuleReader.Read(rules), manifests, out var prepared, out var invalid)) return prepared;
            errors = [.. invalid.Select(e => $"spec.overrides: {e}")];
        }
        catch (FormatException e)
        {
            errors = [$"spec.overrides: {e.Message}"];
        }
        return null;
    }

    /// <summary>The cluster's own objects: <paramref name="prepared"/> applied exactly as the hub applies them (none: the objects as rendered).</summary>
    public static OverrideOutcome ForCluster(PreparedOverrides? prepared, ManifestSet manifests, ClusterResource cluster)
    {
        if (prepared is null) return new(manifests, [], []);
        var result = prepared.Apply(PlacementMapping.OverrideCluster(cluster));
        return new(result.Manifests, [.. result.AppliedOverrides], [.. result.Errors.Select(e => e.ToString())]);
    }
}

/// <summary>What a preview renders: the revision, the directory it is in, and whether the path inside it is a chart.</summary>
public sealed record PreviewSource(string Revision, string Root, bool IsChart, string? Path);
