using System.Text.Json.Nodes;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class DriftComparerTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("""{"spec":{"replicas":2}}""", """{"spec":{"replicas":2,"paused":false}}""", null)]
    [InlineData("""{"spec":{"replicas":2}}""", """{"spec":{"replicas":3}}""", "spec.replicas")]
    [InlineData("""{"data":{"a":"1"}}""", """{"data":{"a":"1","b":"2"}}""", null)]
    [InlineData("""{"data":{"a":"1"}}""", """{"data":{}}""", "data.a")]
    [InlineData("""{"spec":{"ports":[{"port":80}]}}""", """{"spec":{"ports":[{"port":80,"protocol":"TCP"}]}}""", null)]
    [InlineData("""{"spec":{"ports":[{"port":80}]}}""", """{"spec":{"ports":[{"port":80},{"port":81}]}}""", "spec.ports")]
    [InlineData("""{"metadata":{"name":"x","labels":{"a":"b"}}}""", """{"metadata":{"name":"x","uid":"1","labels":{"a":"c"}}}""", "metadata.labels.a")]
    [InlineData("""{"status":{"x":1}}""", """{"status":{"x":2}}""", null)]
    public void First_difference_compares_only_desired_fields(string desired, string live, string? expected) =>
        Assert.Equal(expected, DriftComparer.FirstDifference(Parse(desired), Parse(live)));

    [Fact]
    public void Numbers_from_yaml_and_from_the_api_compare_by_value()
    {
        var desired = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 2L, ["ratio"] = 0.5 } };
        Assert.True(DriftComparer.Matches(desired, Parse("""{"spec":{"replicas":2,"ratio":0.50}}""")));
        Assert.False(DriftComparer.Matches(desired, Parse("""{"spec":{"replicas":"2","ratio":0.5}}""")));
    }

    [Theory]
    [InlineData("2000m", "2", true)]
    [InlineData("1Gi", "1024Mi", true)]
    [InlineData("0.5", "500m", true)]
    [InlineData("1e3", "1k", true)]
    [InlineData("1.5Gi", "1536Mi", true)]
    [InlineData("100M", "100000k", true)]
    [InlineData("0.1", "100m", true)]
    [InlineData("1E-03", "1m", true)]
    [InlineData("+1", "1", true)]
    [InlineData("0", "0m", true)]
    [InlineData("1Gi", "1G", false)]
    [InlineData("2", "2001m", false)]
    [InlineData("1Ki", "1k", false)]
    [InlineData("-1", "1", false)]
    [InlineData("1x", "1", false)]
    [InlineData("abc", "abc", true)] // not a quantity, but the same text
    [InlineData("1e999", "1e999", true)] // out of range for a quantity, equal as text
    [InlineData("1e999", "1e998", false)]
    public void Quantities_in_resource_fields_compare_by_value(string desired, string live, bool equal)
    {
        var d = Limits(desired);
        var l = Limits(live);

        Assert.Equal(equal ? null : "spec.containers[0].resources.limits.cpu", DriftComparer.FirstDifference(d, l)?.Replace("nvidia.com/gpu", "cpu", StringComparison.Ordinal));
    }

    private static JsonObject Limits(string quantity) =>
        new() { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = quantity, ["nvidia.com/gpu"] = quantity } } }) } };

    [Theory]
    [InlineData("""{"spec":{"hard":{"pods":10}}}""", """{"spec":{"hard":{"pods":"10"}}}""", null)]
    [InlineData("""{"spec":{"resources":{"requests":{"cpu":0.25}}}}""", """{"spec":{"resources":{"requests":{"cpu":"250m"}}}}""", null)]
    [InlineData("""{"spec":{"volumes":[{"emptyDir":{"sizeLimit":"1024Ki"}}]}}""", """{"spec":{"volumes":[{"emptyDir":{"sizeLimit":"1Mi"}}]}}""", null)]
    [InlineData("""{"spec":{"env":[{"name":"A","value":"2000m"}]}}""", """{"spec":{"env":[{"name":"A","value":"2"}]}}""", "spec.env[0].value")]
    [InlineData("""{"data":{"memory":"1Gi"}}""", """{"data":{"memory":"1024Mi"}}""", null)] // a key named memory is taken for a quantity
    [InlineData("""{"data":{"size":"1Gi"}}""", """{"data":{"size":"1024Mi"}}""", "data.size")]
    [InlineData("""{"spec":{"replicas":"2"}}""", """{"spec":{"replicas":2}}""", "spec.replicas")]
    public void Only_quantity_fields_compare_as_quantities(string desired, string live, string? expected) =>
        Assert.Equal(expected, DriftComparer.FirstDifference(Parse(desired), Parse(live)));

    [Theory]
    [InlineData("""{"data":{}}""", """{}""", null)]
    [InlineData("""{"data":{}}""", """{"data":null}""", null)]
    [InlineData("""{"spec":{"list":[]}}""", """{"spec":{}}""", null)]
    [InlineData("""{"spec":{"flag":false,"name":"","count":0}}""", """{"spec":{}}""", null)]
    [InlineData("""{"spec":{"flag":false}}""", """{"spec":{"flag":true}}""", "spec.flag")]
    [InlineData("""{"spec":{"list":[]}}""", """{"spec":{"list":[1]}}""", "spec.list")]
    [InlineData("""{"spec":{"count":0}}""", """{"spec":{"count":1}}""", "spec.count")]
    [InlineData("""{"spec":{"name":"x"}}""", """{"spec":{}}""", "spec.name")]
    [InlineData("""{"spec":{"nested":{"a":{}}}}""", """{"spec":{}}""", null)]
    public void Zero_values_equal_a_missing_live_field(string desired, string live, string? expected) =>
        Assert.Equal(expected, DriftComparer.FirstDifference(Parse(desired), Parse(live)));

    [Fact]
    public void Secret_string_data_is_compared_as_base64_data_and_overrides_data()
    {
        var desired = Parse("""{"apiVersion":"v1","kind":"Secret","data":{"a":"b2xk","b":"Yg=="},"stringData":{"a":"new"}}""");

        Assert.Null(DriftComparer.FirstDifference(desired, Parse("""{"apiVersion":"v1","kind":"Secret","data":{"a":"bmV3","b":"Yg=="}}""")));
        Assert.Equal("data.a", DriftComparer.FirstDifference(desired, Parse("""{"apiVersion":"v1","kind":"Secret","data":{"a":"b2xk","b":"Yg=="}}""")));
        Assert.Equal("data.a", DriftComparer.FirstDifference(desired, Parse("""{"apiVersion":"v1","kind":"Secret","data":{"b":"Yg=="}}""")));
        Assert.Equal("new", (string)desired["stringData"]!["a"]!); // the caller's object is not changed
    }

    [Fact]
    public void String_data_of_a_custom_kind_named_Secret_is_compared_as_it_is()
    {
        var desired = Parse("""{"apiVersion":"example.com/v1","kind":"Secret","stringData":{"a":"new"}}""");
        Assert.Equal("stringData", DriftComparer.FirstDifference(desired, Parse("""{"apiVersion":"example.com/v1","kind":"Secret","data":{"a":"bmV3"}}""")));
    }

    [Fact]
    public void Aggregated_cluster_role_rules_belong_to_the_controller_manager()
    {
        var live = Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","rules":[{"verbs":["get"]}],"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"b"}}]}}""");

        Assert.Null(DriftComparer.FirstDifference(
            Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","rules":[],"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"b"}}]}}"""), live));
        Assert.Equal("rules", DriftComparer.FirstDifference(
            Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","rules":[]}"""), live));
    }

    [Fact]
    public void Desired_hash_ignores_key_order_and_sees_value_changes()
    {
        var a = DriftComparer.DesiredHash(Parse("""{"a":1,"b":{"c":"x","d":[1,2]}}"""));
        Assert.Equal(a, DriftComparer.DesiredHash(Parse("""{"b":{"d":[1,2],"c":"x"},"a":1}""")));
        Assert.NotEqual(a, DriftComparer.DesiredHash(Parse("""{"a":1,"b":{"c":"y","d":[1,2]}}""")));
        Assert.NotEqual(a, DriftComparer.DesiredHash(Parse("""{"a":1,"b":{"c":"x","d":[2,1]}}""")));
    }

    [Fact]
    public void Drift_is_attributed_to_the_latest_other_manager()
    {
        var live = Parse("""
            {"metadata":{"managedFields":[
              {"manager":"flotilla","operation":"Apply","time":"2026-01-01T00:00:05Z"},
              {"manager":"kubectl-edit","operation":"Update","time":"2026-01-01T00:00:09Z"},
              {"manager":"old-script","operation":"Update","time":"2026-01-01T00:00:01Z"},
              {"manager":"simulator","operation":"Update","time":"2026-01-01T00:00:10Z","subresource":"status"}]}}
            """);
        Assert.Equal("kubectl-edit", DriftComparer.LastOtherManager(live, "flotilla"));
        Assert.Null(DriftComparer.LastOtherManager(Parse("""{"metadata":{}}"""), "flotilla"));
    }
}
