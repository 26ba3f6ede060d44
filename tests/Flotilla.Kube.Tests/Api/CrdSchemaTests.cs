using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Flotilla.Kube.Tests.Api;

/// <summary>The shipped CRDs read like a Kubernetes API: <c>kubectl explain</c> has something to say about every field.</summary>
public sealed class CrdSchemaTests
{
    public static TheoryData<string> Crds() => [.. CrdInstaller.Manifests().Select(m => m.Name)];

    private static V1CustomResourceDefinition Crd(string name) =>
        KubernetesYaml.Deserialize<V1CustomResourceDefinition>(CrdInstaller.Manifests().Single(m => m.Name == name).Yaml);

    [Fact]
    public void Every_Flotilla_kind_is_shipped() =>
        Assert.Equal(["bundles.flotilla.io", "clusters.flotilla.io", "clustersets.flotilla.io", "gitrepositories.flotilla.io", "globalendpoints.flotilla.io", "helmrepositories.flotilla.io", "notifications.flotilla.io"], CrdInstaller.Manifests().Select(m => m.Name));

    // The API server refuses anything but a type on the root metadata: kubectl explain shows ObjectMeta's own docs there.
    [Theory]
    [MemberData(nameof(Crds))]
    public void Every_property_has_a_description(string name)
    {
        var undescribed = Properties(Schema(name), "")
            .Where(p => p.Path != ".metadata" && string.IsNullOrWhiteSpace(p.Schema["description"]?.GetValue<string>())).Select(p => p.Path).ToList();
        Assert.True(undescribed.Count == 0, $"{name}: no description at {string.Join(", ", undescribed)}");
    }

    [Theory]
    [MemberData(nameof(Crds))]
    public void Every_kind_has_a_short_name_and_the_flotilla_category(string name)
    {
        var names = Crd(name).Spec.Names;
        Assert.NotEmpty(names.ShortNames ?? []);
        Assert.Contains("flotilla", names.Categories ?? []);
    }

    [Fact]
    public void The_walk_finds_nested_properties_of_arrays_and_maps()
    {
        var paths = Properties(Schema("bundles.flotilla.io"), "").Select(p => p.Path).ToList();
        Assert.Contains(".spec.rollout.stages[].before[].duration", paths);
        Assert.Contains(".spec.placement.clusterSelector.matchExpressions[].operator", paths);
        Assert.Contains(".status.conditions[].lastTransitionTime", paths);
    }

    [Theory]
    [InlineData("30s", true)]
    [InlineData("1h30m", true)]
    [InlineData("500ms", true)]
    [InlineData("1.5h", true)]
    [InlineData("5 minutes", false)]
    [InlineData("10", false)]
    [InlineData("-5m", false)]
    [InlineData("soon", false)]
    public void Every_duration_field_has_a_pattern_that_refuses_what_is_no_duration(string text, bool valid)
    {
        var durations = Durations().ToList();
        Assert.Equal(8, durations.Count); // HelmRepository spec.interval is the eighth
        foreach (var (path, schema) in durations)
        {
            var pattern = schema["pattern"]?.GetValue<string>();
            Assert.True(pattern is not null, $"{path} has no pattern");
            Assert.Equal(valid, Regex.IsMatch(text, pattern));
        }
    }

    /// <summary>The duration fields (the hub parses them with <c>Durations.Parse</c>).</summary>
    private static IEnumerable<(string Path, JsonObject Schema)> Durations() =>
        CrdInstaller.Manifests().SelectMany(m => Properties(Schema(m.Name), ""))
            .Where(p => p.Path.EndsWith("interval") || p.Path.EndsWith("timeout") || p.Path.EndsWith("duration")
                || p.Path.EndsWith("progressDeadline") || p.Path.EndsWith("minSuccessTime"));

    /// <summary>Every property below <paramref name="schema"/> with its path (<c>[]</c> for array items, <c>{}</c> for map values).</summary>
    private static IEnumerable<(string Path, JsonObject Schema)> Properties(JsonObject schema, string path)
    {
        foreach (var (key, child) in schema["properties"] as JsonObject ?? [])
        {
            yield return ($"{path}.{key}", child!.AsObject());
            foreach (var nested in Properties(child.AsObject(), $"{path}.{key}")) yield return nested;
        }
        if (schema["items"] is JsonObject items)
            foreach (var nested in Properties(items, path + "[]")) yield return nested;
        if (schema["additionalProperties"] is JsonObject values)
            foreach (var nested in Properties(values, path + "{}")) yield return nested;
    }

    /// <summary>The CRD's schema as JSON (the client's model leaves items and additionalProperties untyped).</summary>
    private static JsonObject Schema(string name)
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(CrdInstaller.Manifests().Single(m => m.Name == name).Yaml);
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
        return JsonNode.Parse(json)!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
    }
}
