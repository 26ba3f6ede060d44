using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Dependencies;
using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Dependencies;

/// <summary>
/// One file under <c>testdata/dependencies/</c>: the bundles on the hub as one cluster sees them and what each pair's
/// gate must say (format in that folder's README). Fields map one to one onto <see cref="DependencyObservation"/>.
/// </summary>
internal sealed class DependencyCase
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "dependencies");

    private DependencyCase(string name, JsonObject root)
    {
        Name = name;
        Cluster = root["cluster"]?.GetValue<string>() ?? throw new InvalidDataException($"{name}: no cluster");
        var bundles = root["bundles"] as JsonObject ?? throw new InvalidDataException($"{name}: no bundles");
        Graph = new DependencyGraph(bundles.ToDictionary(b => b.Key, b => Strings(b.Value?["dependsOn"]), StringComparer.Ordinal));
        Observations = bundles.ToDictionary(b => b.Key, b => Observation(b.Value as JsonObject ?? []), StringComparer.Ordinal);
        Expect = Map(root["expect"] ?? throw new InvalidDataException($"{name}: no expect"));
        Cycles = Map(root["cycles"]);
    }

    public string Name { get; }
    public string Cluster { get; }
    public DependencyGraph Graph { get; }
    public IReadOnlyDictionary<string, DependencyObservation> Observations { get; }

    /// <summary>Per bundle: <c>go</c>, or the exact message of the gate that holds it.</summary>
    public IReadOnlyDictionary<string, string> Expect { get; }
    public IReadOnlyDictionary<string, string> Cycles { get; }

    public DependencyObservation Observe(string key) => Observations.GetValueOrDefault(key) ?? DependencyObservation.Missing;

    public static string[] Names() =>
        Directory.GetFiles(Root, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static DependencyCase Load(string name) => new(name, YamlFixture.LoadObject(File.ReadAllText(Path.Combine(Root, name + ".yaml"))));

    private static DependencyObservation Observation(JsonObject b) => new()
    {
        Suspended = b["suspended"]?.GetValue<bool>() ?? false,
        Deleting = b["deleting"]?.GetValue<bool>() ?? false,
        Problem = b["problem"]?.GetValue<string>(),
        Decided = b["decided"]?.GetValue<bool>() ?? true,
        Placement = b["placement"] is { } placement ? Enum.Parse<DependencyPlacement>(placement.GetValue<string>()) : DependencyPlacement.Placed,
        WantedRevision = b.ContainsKey("wantedRevision") ? b["wantedRevision"]?.GetValue<string>() : "r1",
        Phase = b["phase"] is { } phase ? Enum.Parse<SyncPhase>(phase.GetValue<string>()) : null,
        AppliedRevision = b["appliedRevision"]?.GetValue<string>(),
        Health = b["health"] is { } health ? Enum.Parse<HealthStatus>(health.GetValue<string>()) : HealthStatus.Unknown,
    };

    private static ImmutableArray<string> Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(n => n!.GetValue<string>())];

    private static Dictionary<string, string> Map(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
}
