using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Kube.Tests.Api;

public sealed class KubernetesTimeConverterTests
{
    // 04:17:25.8710651 UTC, written with an offset, as a clock or a parsed status may hold it.
    private static readonly DateTimeOffset Time = new DateTimeOffset(2026, 12, 2, 6, 17, 25, TimeSpan.FromHours(2)).AddTicks(8_710_651);

    [Fact]
    public void Status_times_are_written_in_whole_seconds_UTC_with_Z()
    {
        var status = new BundleStatus
        {
            Clusters = [new BundleClusterStatus { Name = "m1", LastSyncTime = Time }],
            Conditions = [new StatusCondition { Type = "Ready", Status = "True", LastTransitionTime = Time }],
        };
        var value = JsonNode.Parse((string)StatusPatch.Replace(status).Content)![0]!["value"]!;
        Assert.Equal("2026-12-02T04:17:25Z", value["clusters"]![0]!["lastSyncTime"]!.GetValue<string>());
        Assert.Equal("2026-12-02T04:17:25Z", value["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public void Spec_times_written_with_the_Kubernetes_serializer_use_the_same_form()
    {
        var json = KubernetesJson.Serialize(new ClusterTaint { Key = "k", Effect = "NoSelect", TimeAdded = Time });
        Assert.Contains("\"timeAdded\":\"2026-12-02T04:17:25Z\"", json);
    }

    [Theory]
    [InlineData("2026-12-02T04:17:25Z")]
    [InlineData("2026-12-02T04:17:25.8710651+00:00")]
    [InlineData("2026-12-02T06:17:25+02:00")]
    public void Reads_any_RFC_3339_time(string text)
    {
        var status = KubernetesJson.Deserialize<GitRepositoryStatus>($$"""{"fetchedAt":"{{text}}"}""");
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 4, 17, 25, TimeSpan.Zero), status.FetchedAt!.Value.AddTicks(-(status.FetchedAt.Value.Ticks % TimeSpan.TicksPerSecond)));
    }
}
