using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Placement;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Placement;

/// <summary>
/// One file under <c>testdata/placement/</c>: a placement spec, the fleet, the current decision and the expected
/// outcome (formats in that folder's README). Fields map one to one onto <see cref="PlacementSpec"/> and
/// <see cref="ClusterFacts"/>, as the hub maps its CRDs.
/// </summary>
internal sealed class PlacementCase
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "placement");

    private PlacementCase(string name, JsonObject root)
    {
        Name = name;
        Now = Time(root["now"]) ?? throw new InvalidDataException($"{name}: no now");
        Spec = ReadSpec(root["placement"] as JsonObject ?? []);
        var clusters = (root["clusters"] as JsonArray ?? []).Select(c => ReadCluster((JsonObject)c!, Now)).ToList();
        Input = new PlacementInput(clusters, Now)
        {
            Current = Strings(root["current"]).ToHashSet(StringComparer.Ordinal),
            BundleCounts = (root["bundleCounts"] as JsonObject ?? []).ToDictionary(p => p.Key, p => Int(p.Value)!.Value, StringComparer.Ordinal),
        };
        var expect = root["expect"] as JsonObject ?? throw new InvalidDataException($"{name}: no expect");
        Errors = Strings(expect["errors"]);
        Selected = Strings(expect["selected"]);
        NotSelected = Map(expect["notSelected"]);
        Scores = (expect["scores"] as JsonObject ?? []).ToDictionary(p => p.Key, p => Int(p.Value)!.Value, StringComparer.Ordinal);
        RecheckAt = Time(expect["recheckAt"]);
    }

    public string Name { get; }
    public DateTimeOffset Now { get; }
    public PlacementSpec Spec { get; }
    public PlacementInput Input { get; }

    /// <summary>Substrings of the validation errors, one per error, in order; empty for a valid spec.</summary>
    public ImmutableArray<string> Errors { get; }
    public ImmutableArray<string> Selected { get; }
    public IReadOnlyDictionary<string, string> NotSelected { get; }
    public IReadOnlyDictionary<string, int> Scores { get; }
    public DateTimeOffset? RecheckAt { get; }

    public static string[] Names() =>
        Directory.GetFiles(Root, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static PlacementCase Load(string name) => new(name, YamlFixture.LoadObject(File.ReadAllText(Path.Combine(Root, name + ".yaml"))));

    private static PlacementSpec ReadSpec(JsonObject placement) => new()
    {
        MatchLabels = Map(placement["matchLabels"]).ToImmutableSortedDictionary(StringComparer.Ordinal),
        MatchExpressions = Requirements(placement["matchExpressions"]),
        MatchFacts = Requirements(placement["matchFacts"]),
        Tolerations = [.. (placement["tolerations"] as JsonArray ?? []).Select(t => new TolerationSpec(
            Text(t!["key"]), Text(t["operator"]), Text(t["value"]), Text(t["effect"]), t["tolerationSeconds"]?.GetValue<long>()))],
        NumberOfClusters = Int(placement["numberOfClusters"]),
        Spread = placement["spread"] is JsonObject spread
            ? new SpreadSpec(Text(spread["topologyKey"]) ?? "", Int(spread["maxSkew"]) ?? 1)
            : null,
        Prioritizers = [.. (placement["prioritizers"] as JsonArray ?? []).Select(p => new PrioritizerSpec(
            Text(p!["type"]) ?? "", Int(p["weight"]) ?? 1, Text(p["property"]), Text(p["prefer"])))],
    };

    private static ClusterFacts ReadCluster(JsonObject cluster, DateTimeOffset now) => new(Text(cluster["name"])!)
    {
        Labels = Map(cluster["labels"]),
        Taints = (cluster["taints"] as JsonArray ?? []).Select(t => new ClusterTaint(
            Text(t!["key"])!, Text(t["value"]) ?? "", Enum.Parse<TaintEffect>(Text(t["effect"])!), Time(t["timeAdded"]) ?? now)).ToList(),
        Properties = Map(cluster["properties"]),
        KubernetesVersion = Text(cluster["kubernetesVersion"]),
        NodeCount = Int(cluster["nodeCount"]),
        UnavailableSince = Time(cluster["unavailableSince"]),
    };

    private static ImmutableArray<SelectorRequirementSpec> Requirements(JsonNode? node) =>
        [.. (node as JsonArray ?? []).Select(r => new SelectorRequirementSpec(Text(r!["key"]) ?? "", Text(r["operator"]) ?? "", Strings(r["values"])))];

    private static Dictionary<string, string> Map(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => Text(p.Value) ?? "", StringComparer.Ordinal);

    private static ImmutableArray<string> Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(v => Text(v)!)];

    // The loader types plain scalars (4 → long); the engine reads every label, property and value as text.
    private static string? Text(JsonNode? node) =>
        node is null ? null : node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();

    private static int? Int(JsonNode? node) => node is null ? null : checked((int)node.GetValue<long>());

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
}
