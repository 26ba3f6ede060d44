using System.Text.Json.Nodes;
using Flotilla.Kube.Simulation;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>The pure rules: what a plan writes, and that writing it makes the next plan current.</summary>
public sealed class WorkloadStatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fresh_deployment_gets_a_rolled_out_status_for_one_replica()
    {
        var plan = WorkloadStatusRules.Plan(Stored(Workloads.Deployment("web")), Now);

        Assert.Equal((WorkloadKind.Deployment, "shop", "web", 1L, SimulatedOutcome.Ready), (plan.Kind, plan.Namespace, plan.Name, plan.Generation, plan.Outcome));
        var status = Status(plan);
        Assert.Equal(1, (long)status["observedGeneration"]!);
        foreach (var field in new[] { "replicas", "updatedReplicas", "readyReplicas", "availableReplicas" })
            Assert.Equal(1, (int)status[field]!);
        Assert.Equal(0, (int)status["unavailableReplicas"]!);
        Assert.Equal(["Available/True/MinimumReplicasAvailable", "Progressing/True/NewReplicaSetAvailable"], Conditions(status));
        Assert.Equal("7", (string)JsonNode.Parse(plan.StatusPatch!)!["metadata"]!["resourceVersion"]!);
    }

    [Fact]
    public void Fail_annotation_gives_a_deployment_that_exceeded_its_progress_deadline()
    {
        var plan = WorkloadStatusRules.Plan(Stored(Workloads.Deployment("web", replicas: 3, Workloads.Fail)), Now);

        Assert.Equal(SimulatedOutcome.Failing, plan.Outcome);
        var status = Status(plan);
        Assert.Equal(0, (int)status["availableReplicas"]!);
        Assert.Equal(0, (int)status["readyReplicas"]!);
        Assert.Equal(3, (int)status["unavailableReplicas"]!);
        Assert.Equal(["Available/False/MinimumReplicasUnavailable", "Progressing/False/ProgressDeadlineExceeded"], Conditions(status));
    }

    [Theory]
    [InlineData("fail", SimulatedOutcome.Failing)]
    [InlineData("Fail", SimulatedOutcome.Ready)]
    [InlineData("ready", SimulatedOutcome.Ready)]
    [InlineData(null, SimulatedOutcome.Ready)]
    public void Only_the_exact_fail_value_fails(string? value, SimulatedOutcome expected)
    {
        var meta = new V1ObjectMeta { Annotations = value is null ? null : new Dictionary<string, string> { ["flotilla.io/simulate"] = value } };
        Assert.Equal(expected, WorkloadStatusRules.OutcomeOf(meta));
    }

    public static TheoryData<string, bool> Kinds => new()
    {
        { "Deployment", false }, { "Deployment", true },
        { "StatefulSet", false }, { "StatefulSet", true },
        { "DaemonSet", false }, { "DaemonSet", true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Applying_the_patch_makes_the_next_plan_current_until_the_generation_changes(string kind, bool fail)
    {
        var annotations = fail ? Workloads.Fail : null;
        Func<WorkloadStatusPlan> plan;
        Action<string> apply;
        Action bump;
        switch (kind)
        {
            case "Deployment":
                var d = Stored(Workloads.Deployment("w", replicas: 2, annotations));
                plan = () => WorkloadStatusRules.Plan(d, Now);
                apply = patch => d.Status = KubernetesJson.Deserialize<V1DeploymentStatus>(JsonNode.Parse(patch)!["status"]!.ToJsonString());
                bump = () => d.Metadata.Generation++;
                break;
            case "StatefulSet":
                var s = Stored(Workloads.StatefulSet("w", replicas: 2, annotations));
                plan = () => WorkloadStatusRules.Plan(s);
                apply = patch => s.Status = KubernetesJson.Deserialize<V1StatefulSetStatus>(JsonNode.Parse(patch)!["status"]!.ToJsonString());
                bump = () => s.Metadata.Generation++;
                break;
            default:
                var ds = Stored(Workloads.DaemonSet("w", annotations));
                plan = () => WorkloadStatusRules.Plan(ds);
                apply = patch => ds.Status = KubernetesJson.Deserialize<V1DaemonSetStatus>(JsonNode.Parse(patch)!["status"]!.ToJsonString());
                bump = () => ds.Metadata.Generation++;
                break;
        }

        var first = plan();
        Assert.False(first.IsCurrent);
        apply(first.StatusPatch!);
        Assert.True(plan().IsCurrent);
        bump();
        var next = plan();
        Assert.False(next.IsCurrent);
        Assert.Equal(2, next.Generation);
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_while_its_status_stays()
    {
        var d = Stored(Workloads.Deployment("web"));
        var earlier = new DateTime(2025, 2, 1, 8, 30, 0, DateTimeKind.Utc);
        d.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            Conditions =
            [
                new V1DeploymentCondition { Type = "Available", Status = "True", Reason = "MinimumReplicasAvailable", LastTransitionTime = earlier },
                new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", LastTransitionTime = earlier },
            ],
        };

        var conditions = Status(WorkloadStatusRules.Plan(d, Now))["conditions"]!.AsArray();

        Assert.Equal("2025-02-01T08:30:00Z", (string)conditions.Single(c => (string)c!["type"]! == "Available")!["lastTransitionTime"]!);
        Assert.Equal("2025-03-01T12:00:00Z", (string)conditions.Single(c => (string)c!["type"]! == "Progressing")!["lastTransitionTime"]!);
    }

    [Fact]
    public void StatefulSet_revision_follows_the_pod_template_not_the_replicas()
    {
        var s = Stored(Workloads.StatefulSet("db", replicas: 1));
        var revision = (string)Status(WorkloadStatusRules.Plan(s))["updateRevision"]!;
        s.Spec.Replicas = 5;
        Assert.Equal(revision, (string)Status(WorkloadStatusRules.Plan(s))["updateRevision"]!);
        s.Spec.Template = Workloads.Template("db", "app:2");
        var changed = (string)Status(WorkloadStatusRules.Plan(s))["updateRevision"]!;

        Assert.Matches("^db-[0-9a-f]{10}$", revision);
        Assert.NotEqual(revision, changed);
    }

    private static T Stored<T>(T workload) where T : IMetadata<V1ObjectMeta>
    {
        workload.Metadata.NamespaceProperty = "shop";
        workload.Metadata.Uid = "uid-1";
        workload.Metadata.Generation = 1;
        workload.Metadata.ResourceVersion = "7";
        return workload;
    }

    private static JsonObject Status(WorkloadStatusPlan plan) =>
        JsonNode.Parse(plan.StatusPatch ?? throw new Xunit.Sdk.XunitException("plan is current"))!["status"]!.AsObject();

    private static string[] Conditions(JsonObject status) =>
        status["conditions"]!.AsArray().Select(c => $"{c!["type"]}/{c["status"]}/{c["reason"]}").ToArray();
}
