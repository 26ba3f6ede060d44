using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Clusters;
using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Charts;

public sealed class ChartValuesTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Theory]
    [InlineData("""{"a":1}""", """{"b":2}""", """{"a":1,"b":2}""")]
    [InlineData("""{"image":{"registry":"docker.io","tag":"1"}}""", """{"image":{"registry":"eu.example"}}""", """{"image":{"registry":"eu.example","tag":"1"}}""")]
    [InlineData("""{"list":[1,2,3]}""", """{"list":[4]}""", """{"list":[4]}""")]
    [InlineData("""{"map":{"a":1}}""", """{"map":"text"}""", """{"map":"text"}""")]
    [InlineData("""{"text":"x"}""", """{"text":{"a":1}}""", """{"text":{"a":1}}""")]
    [InlineData("""{"gone":{"a":1},"kept":2}""", """{"gone":null}""", """{"kept":2}""")]
    [InlineData("""{"a":{"b":{"c":1,"d":2}}}""", """{"a":{"b":{"d":null,"e":3}}}""", """{"a":{"b":{"c":1,"e":3}}}""")]
    public void Merge_follows_helms_layering(string under, string over, string expected)
    {
        var baseValues = Json(under);
        var before = baseValues.ToJsonString();

        var merged = ChartValues.Merge(baseValues, Json(over));

        Assert.Equal(expected, ChartValues.Canonical(merged));
        Assert.Equal(before, baseValues.ToJsonString()); // layers are never changed
    }

    [Fact]
    public void Canonical_text_does_not_depend_on_key_order()
    {
        Assert.Equal(ChartValues.Canonical(Json("""{"b":{"y":1,"x":[{"q":1,"p":2}]},"a":true}""")),
            ChartValues.Canonical(Json("""{"a":true,"b":{"x":[{"p":2,"q":1}],"y":1}}""")));
    }

    private static OverrideCluster Cluster(string name, params (string Key, string Value)[] labels) =>
        new(name, labels.ToDictionary(l => l.Key, l => l.Value), new Dictionary<string, string> { ["tier"] = "gold" });

    private static ClusterValuesRule Rule(string label, string value, string values) =>
        new(LabelSelector.FromMatchLabels(new Dictionary<string, string> { [label] = value }), Json(values));

    [Fact]
    public void Files_then_inline_then_matching_cluster_rules_then_variables()
    {
        var plan = ChartValuesPlan.Prepare(
            [Json("""{"replicaCount":1,"image":{"registry":"docker.io","tag":"1.0"}}"""), Json("""{"image":{"tag":"1.1"}}""")],
            Json("""{"image":{"registry":"registry.${cluster.labels['region']}.example"},"owner":"${cluster.name}","tier":"${cluster.properties['tier']}"}"""),
            [Rule("region", "eu", """{"replicaCount":3}"""), Rule("env", "prod", """{"replicaCount":5,"image":{"tag":"1.0-lts"}}""")],
            out var problem);

        Assert.Null(problem);
        Assert.Equal("""{"image":{"registry":"registry.eu.example","tag":"1.1"},"owner":"a","replicaCount":3,"tier":"gold"}""",
            plan.Resolve(Cluster("a", ("region", "eu"))).Json);
        Assert.Equal("""{"image":{"registry":"registry.eu.example","tag":"1.0-lts"},"owner":"b","replicaCount":5,"tier":"gold"}""",
            plan.Resolve(Cluster("b", ("region", "eu"), ("env", "prod"))).Json);
        Assert.Equal("""{"image":{"registry":"registry.us.example","tag":"1.1"},"owner":"c","replicaCount":1,"tier":"gold"}""",
            plan.Resolve(Cluster("c", ("region", "us"))).Json);
    }

    [Fact]
    public void Clusters_with_the_same_inputs_get_the_same_text()
    {
        var plan = ChartValuesPlan.Prepare([], Json("""{"registry":"registry.${cluster.labels['region']}.example"}"""), [], out _);

        Assert.Equal(plan.Resolve(Cluster("a", ("region", "eu"), ("rack", "1"))).Json, plan.Resolve(Cluster("b", ("region", "eu"), ("rack", "2"))).Json);
        Assert.NotEqual(plan.Resolve(Cluster("a", ("region", "eu"))).Json, plan.Resolve(Cluster("c", ("region", "us"))).Json);
    }

    [Fact]
    public void A_variable_the_cluster_lacks_fails_that_cluster_only()
    {
        var plan = ChartValuesPlan.Prepare([], Json("""{"mirror":{"host":"${cluster.labels['mirror']}"}}"""), [], out var problem);

        Assert.Null(problem);
        Assert.Equal("values.mirror.host: ${cluster.labels['mirror']}: the cluster has no label \"mirror\"", plan.Resolve(Cluster("a")).Problem);
        Assert.Equal("""{"mirror":{"host":"m1"}}""", plan.Resolve(Cluster("b", ("mirror", "m1"))).Json);
    }

    [Theory]
    [InlineData("""{"a":"${cluster.nme}"}""", "spec.helm.values.a: unknown variable")]
    [InlineData("""{"a":["x","${cluster.name"]}""", "spec.helm.values.a[1]: a \"${\" has no closing '}'")]
    public void A_variable_written_wrongly_is_a_problem_of_the_bundle(string values, string expected)
    {
        ChartValuesPlan.Prepare([], Json(values), [], out var problem);

        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void A_literal_dollar_brace_is_written_doubled()
    {
        var plan = ChartValuesPlan.Prepare([], Json("""{"template":"$${HOME}/x"}"""), [], out _);

        Assert.Equal("""{"template":"${HOME}/x"}""", plan.Resolve(Cluster("a")).Json);
    }
}
