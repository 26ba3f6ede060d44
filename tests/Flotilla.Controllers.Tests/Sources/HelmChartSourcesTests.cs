using Flotilla.Controllers.Sources;
using Flotilla.Git.Charts;

namespace Flotilla.Controllers.Tests.Sources;

/// <summary>
/// A rollout finds an earlier chart version in the digest-addressed chart cache by its revision
/// (<c>NAME@VERSION+sha256:DIGEST</c>), and nothing for a version never fetched or a revision that is not a safe name.
/// </summary>
public sealed class HelmChartSourcesTests
{
    private static readonly string Digest = new('a', 64);

    [Fact]
    public void An_earlier_chart_version_is_read_from_the_cache_by_its_digest_and_a_missing_or_unsafe_one_is_not()
    {
        var cache = Directory.CreateTempSubdirectory("flotilla-chart-cache-").FullName;
        var chart = Path.Combine(cache, "sha256", Digest, "web");
        Directory.CreateDirectory(chart);
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        var sources = new HelmChartSources(new HelmIndexes(), new HelmRepositoryClient(new HelmRepositoryOptions { CacheDirectory = cache }));

        var found = sources.SnapshotOf($"web@1.0.0+sha256:{Digest}");

        Assert.NotNull(found);
        Assert.Equal($"web@1.0.0+sha256:{Digest}", found.Artifact.Revision);
        Assert.Equal(Path.Combine(cache, "sha256", Digest), found.Artifact.SnapshotDirectory);
        Assert.Equal("web", found.ChartPath);
        Assert.Null(sources.SnapshotOf($"web@1.0.0+sha256:{new string('b', 64)}")); // never fetched here
        Assert.Null(sources.SnapshotOf($"api@1.0.0+sha256:{Digest}")); // another chart under that digest
        Assert.Null(sources.SnapshotOf($"..@1.0.0+sha256:{Digest}"));
        Assert.Null(sources.SnapshotOf($"web@1.0.0+sha256:../{Digest[3..]}"));
        Assert.Null(sources.SnapshotOf(new string('c', 40))); // a commit, not a chart version
    }
}
