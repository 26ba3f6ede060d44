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
