using System.Text.Json.Nodes;
using Flotilla.Core.Sync.Normalization;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync.Normalization;

/// <summary>
/// Golden cases under <c>testdata/normalize/&lt;case&gt;/</c>: <c>input.yaml</c> starts with
/// <c># clusterScoped: true|false</c> and one <c># warning: …</c> line per expected warning, then the rendered
/// object (copied verbatim from the real-world corpus where its <c># source:</c> line says so);
/// <c>expected.yaml</c> is the object to apply.
/// </summary>
public sealed class ManifestNormalizerFixtureTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "testdata", "normalize");

    public static TheoryData<string> Cases() => new(FixtureCases.In(FixtureDirectory));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_normalises_to_the_expected_object(string fixture)
    {
        var inputText = File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "input.yaml"));
        var input = YamlFixture.LoadObject(inputText);
        var before = input.ToJsonString();
        var expected = YamlFixture.LoadObject(File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "expected.yaml")));
        var header = FixtureCases.Header(inputText);

        var result = ManifestNormalizer.Normalize(input, clusterScoped: bool.Parse(header.Single(h => h.Key == "clusterScoped").Value));

        Assert.True(JsonNode.DeepEquals(expected, result.Object), $"{fixture}: got {result.Object.ToJsonString()}");
        Assert.Equal(header.Where(h => h.Key == "warning").Select(h => h.Value), result.Warnings);
        Assert.Equal(before, input.ToJsonString()); // the rendered object is never modified
    }

    [Fact]
    public void Fixtures_include_the_real_world_quirks()
    {
        var cases = FixtureCases.In(FixtureDirectory);
        var fromCorpus = cases.Count(c => File.ReadAllText(Path.Combine(FixtureDirectory, c, "input.yaml")).Contains("# source: ../shared/realworld/", StringComparison.Ordinal));
        Assert.True(fromCorpus >= 5, $"only {fromCorpus} fixtures copied from the real-world corpus");
        Assert.True(cases.Length >= 15, $"only {cases.Length} fixtures");
    }

    [Fact]
    public void Normalising_twice_changes_nothing_more()
    {
        foreach (var fixture in FixtureCases.In(FixtureDirectory))
        {
            var inputText = File.ReadAllText(Path.Combine(FixtureDirectory, fixture, "input.yaml"));
            var scoped = bool.Parse(FixtureCases.Header(inputText).Single(h => h.Key == "clusterScoped").Value);
            var once = ManifestNormalizer.Normalize(YamlFixture.LoadObject(inputText), scoped);

            var twice = ManifestNormalizer.Normalize(once.Object, scoped);

            Assert.True(JsonNode.DeepEquals(once.Object, twice.Object), fixture);
            Assert.Empty(twice.Warnings);
        }
    }
}
