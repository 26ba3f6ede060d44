using Flotilla.Core.Sync;
using Flotilla.Core.Sync.Normalization;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync.Normalization;

/// <summary>
/// Golden cases under <c>testdata/drift/&lt;case&gt;/</c>: <c>desired.yaml</c> (real manifests copied verbatim where
/// its <c># source:</c> line says so) starts with <c># expect: equal</c> or <c># expect: &lt;first differing path&gt;</c>;
/// <c>live.yaml</c> is what a Kubernetes v1.20.2 API server returned for it (its <c># live:</c> line says how it
/// was made — see <c>testdata/drift/README.md</c>).
/// </summary>
public sealed class DriftFixtureTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "testdata", "drift");

    public static TheoryData<string> Cases() => new(FixtureCases.In(FixtureDirectory));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_has_the_expected_first_difference(string fixture)
    {
        var desiredText = File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "desired.yaml"));
        var expect = FixtureCases.Header(desiredText).Single(h => h.Key == "expect").Value;
        // What the sync compares is what it applied: the normalised object (the namespace rule aside, which the
        // comparison ignores anyway).
        var desired = ManifestNormalizer.Normalize(YamlFixture.LoadObject(desiredText), clusterScoped: false).Object;
        var live = YamlFixture.LoadObject(File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "live.yaml")));

        var difference = DriftComparer.FirstDifference(desired, live);

        Assert.Equal(expect == "equal" ? null : expect, difference);
    }

    [Fact]
    public void Every_live_object_says_where_it_came_from_and_the_corpus_is_represented()
    {
        var cases = FixtureCases.In(FixtureDirectory);
        foreach (var fixture in cases)
        {
            var header = FixtureCases.Header(File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "live.yaml")));
            Assert.True(header.Any(h => h.Key == "live"), $"{fixture}/live.yaml has no '# live:' line");
        }

        var fromCorpus = cases.Count(c => File.ReadAllText(Path.Combine(FixtureDirectory, c, "desired.yaml")).Contains("# source: ../shared/realworld/", StringComparison.Ordinal));
        Assert.True(fromCorpus >= 8, $"only {fromCorpus} drift fixtures come from the real-world corpus");
        Assert.Contains(cases, c => FixtureCases.Header(File.ReadAllText(Path.Combine(FixtureDirectory, c, "desired.yaml"))).Single(h => h.Key == "expect").Value != "equal");
    }
}
