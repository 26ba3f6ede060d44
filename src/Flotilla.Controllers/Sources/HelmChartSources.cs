using Flotilla.Controllers.Charts;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Git.Charts;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Sources;

/// <summary>
/// The chart a Bundle with a HelmRepository source deploys: <c>spec.helm.chart</c> resolved in the repository's last
/// index (the highest version the range allows), fetched and verified by digest (cached by it), as a
/// <see cref="SourceArtifact"/> whose revision names the resolved version (<c>NAME@VERSION+sha256:…</c>, shown in
/// the bundle's status) and whose directory holds the chart at <c>NAME/</c>. Fetched charts stay in that cache, so a
/// rollout finds every version its clusters were given (<see cref="SnapshotOf"/>).
/// </summary>
public sealed class HelmChartSources(HelmIndexes indexes, HelmRepositoryClient client)
{
    private const string DigestMark = "+sha256:";

    public async Task<(SourceArtifact? Artifact, string? ChartPath, BundleProblem? Problem)> ResolveAsync(BundleResource bundle, CancellationToken ct)
    {
        var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Spec.SourceRef.Name);
        if (bundle.Spec.Helm?.Chart is not { Name.Length: > 0 } chart)
            return (null, null, new("InvalidSpec", "a HelmRepository source needs spec.helm.chart.name", Stalled: true));
        if (indexes.Get(key) is not { } index)
            return (null, null, new("SourceNotReady", $"waiting for HelmRepository {bundle.Spec.SourceRef.Name} to be read", Stalled: false));
        if (index.Index.Resolve(chart.Name, chart.Version, out var problem) is not { } entry)
            return (null, null, new("RenderFailed", $"spec.helm.chart: {problem}; clusters keep what they have", Stalled: true));
        try
        {
            var directory = await client.FetchChartAsync(index.Url, entry, index.Credentials, ct);
            var revision = $"{entry.Name}@{entry.Version}{DigestMark}{entry.Digest}";
            return (new SourceArtifact(revision, Path.GetDirectoryName(directory)!, DateTimeOffset.UtcNow), entry.Name, null);
        }
        catch (HelmRepositoryException e)
        {
            return (null, null, new(e.Kind == HelmRepositoryFailure.Unreachable ? "SourceNotReady" : "RenderFailed",
                $"chart {entry.Name} {entry.Version}: {e.Message}; clusters keep what they have", Stalled: e.Kind != HelmRepositoryFailure.Unreachable));
        }
    }

    /// <summary>
    /// The chart of an earlier <paramref name="revision"/> (<c>NAME@VERSION+sha256:DIGEST</c>) from the cache, for a
    /// rollout that keeps clusters on it or rolls them back; null when it was never fetched here (a restarted hub with a
    /// new data directory) or the revision is not one of a chart version.
    /// </summary>
    public ChartSource? SnapshotOf(string revision)
    {
        var mark = revision.IndexOf(DigestMark, StringComparison.Ordinal);
        var at = revision.IndexOf('@', StringComparison.Ordinal);
        if (mark < 0 || at <= 0 || at > mark) return null;
        var name = revision[..at];
        if (client.CachedChart(name, revision[(mark + DigestMark.Length)..]) is not { } directory) return null;
        return new ChartSource(new SourceArtifact(revision, Path.GetDirectoryName(directory)!, DateTimeOffset.UtcNow), name);
    }
}
