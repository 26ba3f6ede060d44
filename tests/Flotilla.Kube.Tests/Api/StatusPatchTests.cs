using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Kube.Tests.Api;

public sealed class StatusPatchTests
{
    [Fact]
    public void Replaces_the_whole_status_and_leaves_nulls_out()
    {
        var status = new BundleStatus
        {
            DesiredRevision = "abc",
            Clusters = [new BundleClusterStatus { Name = "m1", Phase = "Synced", Error = null }],
            Conditions = [new StatusCondition { Type = "Ready", Status = "True", Reason = "Synced", Message = "" }],
        };
        var patch = JsonNode.Parse((string)StatusPatch.Replace(status).Content)!.AsArray();
        var op = Assert.Single(patch)!.AsObject();
        Assert.Equal("add", op["op"]!.GetValue<string>());
        Assert.Equal("/status", op["path"]!.GetValue<string>());
        var value = op["value"]!.AsObject();
        Assert.Equal("abc", value["desiredRevision"]!.GetValue<string>());
        Assert.False(value.ContainsKey("renderError"));
        Assert.False(value["clusters"]![0]!.AsObject().ContainsKey("error"));
        Assert.False(value["conditions"]![0]!.AsObject().ContainsKey("message")); // "" is read as null by v1.20
        Assert.DoesNotContain("null", op.ToJsonString());
    }

    [Fact]
    public void With_the_version_read_the_patch_first_sets_it_as_the_writes_precondition()
    {
        var patch = JsonNode.Parse((string)StatusPatch.Replace(new ClusterStatus { NodeCount = 0 }, "4711").Content)!.AsArray();
        Assert.Equal(2, patch.Count);
        Assert.Equal("replace", patch[0]!["op"]!.GetValue<string>());
        Assert.Equal("/metadata/resourceVersion", patch[0]!["path"]!.GetValue<string>());
        Assert.Equal("4711", patch[0]!["value"]!.GetValue<string>());
        Assert.Equal("/status", patch[1]!["path"]!.GetValue<string>());
    }
}
