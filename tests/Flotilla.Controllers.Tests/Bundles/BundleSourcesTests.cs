using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class BundleSourcesTests
{
    private static JsonObject Bundle(string source, string? kind = null) => new()
    {
        ["spec"] = new JsonObject { ["sourceRef"] = kind is null ? new JsonObject { ["name"] = source } : new JsonObject { ["name"] = source, ["kind"] = kind } },
    };

    [Fact]
    public void A_revision_finds_only_the_bundles_of_its_repository_in_its_namespace()
    {
        var sources = new BundleSources();
        sources.Observe("team-a/web", Bundle("apps"));
        sources.Observe("team-a/db", Bundle("apps", "GitRepository"));
        sources.Observe("team-a/other", Bundle("infra"));
        sources.Observe("team-b/web", Bundle("apps"));
        sources.Observe("team-a/chart", Bundle("apps", "HelmRepository"));

        Assert.Equal(["team-a/db", "team-a/web"], sources.ReadingGitRepository("team-a/apps").Order());
        Assert.Equal(["team-a/chart"], sources.ReadingHelmRepository("team-a/apps"));
    }

    [Fact]
    public void A_bundle_that_changes_its_source_or_goes_is_no_longer_found_under_the_old_one()
    {
        var sources = new BundleSources();
        sources.Observe("ns/web", Bundle("apps"));
        sources.Observe("ns/db", Bundle("apps"));
        sources.Observe("ns/web", Bundle("infra"));
        sources.Observe("ns/db", null);

        Assert.Empty(sources.ReadingGitRepository("ns/apps"));
        Assert.Equal(["ns/web"], sources.ReadingGitRepository("ns/infra"));
    }
}
