using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Overrides;

/// <summary>
/// One directory under <c>testdata/overrides/</c> (formats in that folder's README): the bundle's manifests, its rules,
/// the clusters, and per cluster the expected objects or errors.
/// </summary>
internal sealed class OverrideCase
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "overrides");

    private readonly string _directory;

    private OverrideCase(string name)
    {
        _directory = Path.Combine(Root, name);
        Manifests = LoadManifests(Path.Combine(_directory, "manifests.yaml"));
        Rules = OverrideRuleReader.Read(YamlFixture.LoadObject(File.ReadAllText(Path.Combine(_directory, "rules.yaml")))["overrides"]!.AsArray().OfType<JsonObject>());
        Clusters = YamlFixture.LoadObject(File.ReadAllText(Path.Combine(_directory, "clusters.yaml")))["clusters"]!.AsArray()
            .OfType<JsonObject>().Select(Cluster).ToList();
    }

    public ManifestSet Manifests { get; }

    public List<OverrideRule> Rules { get; }

    public List<OverrideCluster> Clusters { get; }

    public static string[] Names() => FixtureCases.In(Root);

    public static OverrideCase Load(string name) => new(name);

    public PreparedOverrides Prepare()
    {
        Assert.True(BundleOverrides.TryPrepare(Rules, Manifests, out var prepared, out var errors), string.Join("\n", errors));
        return prepared;
    }

    /// <summary><c>expect/&lt;cluster&gt;.yaml</c>: its header (<c># applied:</c>, <c># error:</c>) and the expected objects.</summary>
    public (IReadOnlyList<KeyValuePair<string, string>> Header, List<JsonObject> Objects) Expected(string cluster)
    {
        var path = Path.Combine(_directory, "expect", cluster + ".yaml");
        Assert.True(File.Exists(path), $"no {path}");
        var text = File.ReadAllText(path);
        return (FixtureCases.Header(text), YamlFixture.LoadObjects(text));
    }

    public static ManifestSet LoadManifests(string path)
    {
        var manifests = YamlFixture.LoadObjects(File.ReadAllText(path)).Select((body, i) =>
        {
            Assert.True(ManifestValidator.TryCreate(body, new SourceLocation("manifests.yaml", i), out var manifest, out var errors), string.Join("; ", errors));
            return manifest!;
        });
        Assert.True(ManifestSet.TryBuild(manifests, out var set, out var duplicates), string.Join("; ", duplicates));
        return set!;
    }

    private static OverrideCluster Cluster(JsonObject cluster) =>
        new(cluster["name"]!.GetValue<string>(), Strings(cluster["labels"]), Strings(cluster["properties"]));

    private static Dictionary<string, string> Strings(JsonNode? map) =>
        (map as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString(), StringComparer.Ordinal);
}
