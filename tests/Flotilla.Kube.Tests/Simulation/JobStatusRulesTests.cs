using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Kube.Simulation;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>The simulated job controller: a Job completes, or fails on request, and Flotilla's own health rules agree.</summary>
public sealed class JobStatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Job Job(IDictionary<string, string>? annotations = null, int? completions = null, int? backoffLimit = null) => new()
    {
        ApiVersion = "batch/v1", Kind = "Job",
        Metadata = new V1ObjectMeta
        {
            Name = "migrate", NamespaceProperty = "shop", Uid = "uid-1", Generation = 1, ResourceVersion = "7",
            Annotations = annotations is null ? null : new Dictionary<string, string>(annotations),
        },
        Spec = new V1JobSpec { Completions = completions, BackoffLimit = backoffLimit, Template = Workloads.Template("migrate", "migrate:1") },
    };

    /// <summary>The Job as it reads after the plan's patch: what Flotilla's health rules then say of it.</summary>
    private static (JsonObject Status, HealthAssessment Health) Written(V1Job job, WorkloadStatusPlan plan)
    {
        var status = JsonNode.Parse(plan.StatusPatch!)!["status"]!.AsObject();
        var live = JsonNode.Parse(KubernetesJson.Serialize(job))!.AsObject();
        live["status"] = status.DeepClone();
        return (status, HealthAssessor.Assess(live));
    }

    [Fact]
    public void A_fresh_Job_completes_with_its_completions()
    {
        var job = Job(completions: 3);
        var plan = JobStatusRules.Plan(job, Now);

        Assert.Equal((WorkloadKind.Job, "shop", "migrate", SimulatedOutcome.Ready), (plan.Kind, plan.Namespace, plan.Name, plan.Outcome));
        var (status, health) = Written(job, plan);
        Assert.Equal(3, (int)status["succeeded"]!);
        Assert.Equal("Complete/True", $"{status["conditions"]![0]!["type"]}/{status["conditions"]![0]!["status"]}");
        Assert.Equal("7", (string)JsonNode.Parse(plan.StatusPatch!)!["metadata"]!["resourceVersion"]!);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public void The_fail_annotation_gives_a_Job_that_reached_its_backoff_limit()
    {
        var job = Job(Workloads.Fail, backoffLimit: 2);
        var plan = JobStatusRules.Plan(job, Now);

        Assert.Equal(SimulatedOutcome.Failing, plan.Outcome);
        var (status, health) = Written(job, plan);
        Assert.Equal(3, (int)status["failed"]!);
        Assert.Null(status["succeeded"]);
        Assert.Equal("BackoffLimitExceeded", (string)status["conditions"]![0]!["reason"]!);
        Assert.Equal(HealthStatus.Degraded, health.Status);
    }

    [Theory]
    [InlineData("Complete")]
    [InlineData("Failed")]
    public void A_finished_Job_is_left_alone_whatever_its_annotation_says_now(string finished)
    {
        var job = Job(Workloads.Fail);
        job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = finished, Status = "True" }] };

        Assert.True(JobStatusRules.Plan(job, Now).IsCurrent);
    }
}
