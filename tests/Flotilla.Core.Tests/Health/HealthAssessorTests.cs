using System.Text.Json.Nodes;
using Flotilla.Core.Health;

namespace Flotilla.Core.Tests.Health;

public sealed class HealthAssessorTests
{
    [Fact]
    public void Null_live_object_is_missing()
    {
        Assert.Equal(HealthStatus.Missing, HealthAssessor.Assess(null).Status);
    }

    [Fact]
    public void Numbers_parsed_from_json_text_are_read_like_constructed_ones()
    {
        // Live objects from the API arrive as parsed JSON (JsonElement-backed values), fixtures as constructed values.
        var parsed = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":2},
             "spec":{"replicas":2},
             "status":{"observedGeneration":2,"replicas":2,"updatedReplicas":2,"availableReplicas":1}}
            """)!.AsObject();

        var result = HealthAssessor.Assess(parsed);

        Assert.Equal(HealthStatus.Progressing, result.Status);
        Assert.Contains("1 of 2", result.Message);

        parsed["status"]!["availableReplicas"] = 2.0;
        Assert.Equal(HealthStatus.Healthy, HealthAssessor.Assess(parsed).Status);
    }

    [Fact]
    public void Same_kind_in_another_group_uses_generic_rules()
    {
        // A custom "Deployment" without status is not judged by apps/v1 Deployment rules (which would say Progressing).
        var custom = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Deployment","metadata":{"name":"x"}}""")!.AsObject();

        Assert.Equal(HealthStatus.Healthy, HealthAssessor.Assess(custom).Status);
    }

    [Fact]
    public void Assessment_text_includes_status_and_message()
    {
        Assert.Equal("Missing: Object does not exist", HealthAssessor.Assess(null).ToString());
        Assert.Equal("Healthy", new HealthAssessment(HealthStatus.Healthy, "").ToString());
    }
}
