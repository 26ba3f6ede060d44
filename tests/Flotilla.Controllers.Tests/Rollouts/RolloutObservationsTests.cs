using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;
using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class RolloutObservationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static ClusterResource Cluster(string name, bool available) => new()
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { ["env"] = name } },
        Status = new ClusterStatus { Conditions = [new StatusCondition { Type = "Available", Status = available ? "True" : "False" }] },
    };

    [Fact]
    public void Each_placed_cluster_is_observed_from_its_latest_result_and_history_or_else_from_the_stored_status()
    {
        var clusters = new Dictionary<string, ClusterResource> { ["a"] = Cluster("a", true), ["b"] = Cluster("b", false), ["c"] = Cluster("c", true) };
        var healthy = new SyncResult(SyncPhase.Synced, "r2", 1, 0, 0, HealthStatus.Healthy, null, []);
        var results = new Dictionary<string, (SyncResult, DateTimeOffset)> { ["a"] = (healthy, T0.AddSeconds(30)), ["b"] = (healthy, T0.AddSeconds(40)) };
        var histories = new Dictionary<string, PairHistory>
        {
            ["a"] = new("r2", T0.AddSeconds(10), T0.AddSeconds(20)),
            ["b"] = new("r2", T0.AddSeconds(10), T0.AddSeconds(40)),
        };
        var stored = new[] { new BundleClusterStatus { Name = "c", AppliedRevision = "r1", Health = "Healthy" } };

        var observed = RolloutObservations.Of(["a", "b", "c", "gone"], n => clusters.GetValueOrDefault(n), results, histories, stored);

        Assert.Equal(["a", "b", "c", "gone"], observed.Select(o => o.Name));
        var a = observed[0];
        Assert.True(a.Reachable);
        Assert.Equal("r2", a.AppliedRevision);
        Assert.Equal(T0.AddSeconds(10), a.AppliedAt);
        Assert.True(a.Healthy);
        Assert.Equal(T0.AddSeconds(20), a.HealthySince);
        Assert.Equal(T0.AddSeconds(30), a.HealthObservedAt);
        Assert.Equal("a", a.Labels["env"]);
        Assert.True(a.IsDoneAt("r2"));
        // Not Available: its health is stale and never counts.
        Assert.False(observed[1].Reachable);
        Assert.False(observed[1].IsDoneAt("r2"));
        // No result since the hub started: the stored applied revision, never the stored health.
        Assert.Equal(new ClusterObservation("c", observed[2].Labels, true, "r1", null, false, null, null), observed[2]);
        Assert.False(observed[3].Reachable);
        Assert.Null(observed[3].AppliedRevision);
    }
}
