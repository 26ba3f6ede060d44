using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class HealthAggregatorTests
{
    private static readonly SyncPhase[] DidNotSync = [SyncPhase.Failed, SyncPhase.Unreachable, SyncPhase.Pending, SyncPhase.Removing, SyncPhase.DependencyNotReady];

    public static TheoryData<SyncPhase, HealthStatus> EveryPhaseAndStatus()
    {
        var data = new TheoryData<SyncPhase, HealthStatus>();
        foreach (var phase in Enum.GetValues<SyncPhase>())
            foreach (var status in Enum.GetValues<HealthStatus>())
                data.Add(phase, status);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPhaseAndStatus))]
    public void A_cluster_that_did_not_sync_is_never_healthy_whatever_its_objects_last_said(SyncPhase phase, HealthStatus objects)
    {
        var health = HealthAggregator.OfCluster(phase, objects);

        if (DidNotSync.Contains(phase))
            Assert.Equal(HealthStatus.Unknown, health);
        else
            Assert.Equal(objects, health);
    }

    [Fact]
    public void Every_phase_is_either_synced_or_listed_as_not_synced()
    {
        // A new phase must be placed deliberately: it is not Healthy by accident.
        Assert.Equal(
            Enum.GetValues<SyncPhase>().Order(),
            DidNotSync.Concat([SyncPhase.Synced, SyncPhase.OutOfSync]).Order());
    }

    [Fact]
    public void The_worst_object_wins_and_is_named_even_when_it_is_missing()
    {
        var configMap = Object("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"shop"}}""");
        var scaling = Object("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","generation":2},
             "spec":{"replicas":3},"status":{"observedGeneration":1}}
            """);
        var configMapRef = new ObjectRef("", "v1", "ConfigMap", "shop", "a");
        var deploymentRef = new ObjectRef("apps", "v1", "Deployment", "shop", "web");
        var absentRef = new ObjectRef("", "v1", "Secret", "shop", "token");

        Assert.Equal(HealthStatus.Healthy, HealthAggregator.Worst([(configMapRef, HealthAssessor.Assess(configMap))]).Status);
        var progressing = HealthAggregator.Worst([(configMapRef, HealthAssessor.Assess(configMap)), (deploymentRef, HealthAssessor.Assess(scaling))]);
        Assert.Equal(HealthStatus.Progressing, progressing.Status);
        Assert.StartsWith("Deployment/shop/web: ", progressing.Message);

        var missing = HealthAggregator.Worst([(configMapRef, HealthAssessor.Assess(configMap)), (absentRef, HealthAssessor.Assess(null)), (deploymentRef, HealthAssessor.Assess(scaling))]);
        Assert.Equal(HealthStatus.Missing, missing.Status);
        Assert.Equal("Secret/shop/token: Object does not exist", missing.Message);
    }

    [Fact]
    public void Ranks_order_degraded_missing_unknown_progressing_healthy()
    {
        var worstFirst = Enum.GetValues<HealthStatus>().OrderByDescending(HealthAggregator.Rank).ToArray();
        Assert.Equal([HealthStatus.Degraded, HealthStatus.Missing, HealthStatus.Unknown, HealthStatus.Progressing, HealthStatus.Healthy], worstFirst);
    }

    private static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();
}
