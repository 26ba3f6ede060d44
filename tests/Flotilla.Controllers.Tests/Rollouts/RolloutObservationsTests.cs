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

    [Fact]
    public void A_failure_that_knows_no_applied_revision_keeps_the_stored_one_so_a_finished_stage_is_not_sent_back()
    {
        // The first sync after a restart timed out: its result has no applied revision (the hub never saw one).
        var clusters = new Dictionary<string, ClusterResource> { ["dev"] = Cluster("dev", true) };
        var failed = SyncResult.Failure(SyncPhase.Failed, null, "timed out");
        var results = new Dictionary<string, (SyncResult, DateTimeOffset)> { ["dev"] = (failed, T0.AddSeconds(5)) };
        var histories = new Dictionary<string, PairHistory> { ["dev"] = PairHistory.Next(null, failed, T0.AddSeconds(5)) };
        var stored = new[] { new BundleClusterStatus { Name = "dev", AppliedRevision = "r2", Health = "Healthy" } };

        var dev = RolloutObservations.Of(["dev"], n => clusters.GetValueOrDefault(n), results, histories, stored).Single();

        Assert.Equal("r2", dev.AppliedRevision);
        Assert.False(dev.Healthy);
        Assert.Equal(T0.AddSeconds(5), dev.HealthObservedAt);

        // And the planner keeps that cluster, in a stage the run has passed, on the run's revision.
        var spec = new RolloutSpec { Strategy = RolloutStrategy.Staged, Stages = [new RolloutStage("dev", Flotilla.Core.Clusters.LabelSelector.Parse("env=dev")), new RolloutStage("prod", Flotilla.Core.Clusters.LabelSelector.Parse("env=prod"))] };
        var state = new RolloutState { Revision = "r2", LastHealthyRevision = "r1", Stage = 1, Step = RolloutStep.Rolling, StepSince = T0, Stages = [new StageSummary("dev", 1, 1, 0), new StageSummary("prod", 0, 0, 0)] };
        var plan = RolloutPlanner.Plan(spec, state, [dev], "r2", T0.AddSeconds(6));
        Assert.Equal("r2", plan.Clusters.Single().Revision);
    }

    [Fact]
    public void A_cluster_whose_chart_does_not_render_on_the_new_revision_fails_in_the_rollout_at_its_progress_deadline()
    {
        var clusters = new Dictionary<string, ClusterResource> { ["dev"] = Cluster("dev", true), ["prod"] = Cluster("prod", true) };
        var healthy = new SyncResult(SyncPhase.Synced, "r1", 1, 0, 0, HealthStatus.Healthy, null, []);
        var results = new Dictionary<string, (SyncResult, DateTimeOffset)> { ["dev"] = (healthy, T0), ["prod"] = (healthy, T0) };
        var histories = new Dictionary<string, PairHistory> { ["dev"] = new("r1", T0, T0), ["prod"] = new("r1", T0, T0) };
        var spec = new RolloutSpec
        {
            Strategy = RolloutStrategy.Staged, ProgressDeadline = TimeSpan.FromSeconds(20),
            Stages = [new RolloutStage("dev", Flotilla.Core.Clusters.LabelSelector.Parse("env=dev")), new RolloutStage("prod", Flotilla.Core.Clusters.LabelSelector.Parse("env=prod"))],
        };
        IReadOnlyList<ClusterObservation> Observe() => RolloutObservations.Of(["dev", "prod"], n => clusters.GetValueOrDefault(n), results, histories, null);
        var first = RolloutPlanner.Plan(spec, new RolloutState { Revision = "r1", LastHealthyRevision = "r1" }, Observe(), "r2", T0.AddSeconds(1));
        Assert.Equal("r2", first.Clusters.Single(c => c.Name == "dev").Revision);

        // What the pair's sync records when the chart of r2 does not render on dev: a failure, still on r1.
        var failed = SyncResult.Failure(SyncPhase.Failed, "r1", "chart: helm template failed: this region has no registry mirror; kept as applied");
        results["dev"] = (failed, T0.AddSeconds(2));
        histories["dev"] = PairHistory.Next(histories["dev"], failed, T0.AddSeconds(2));
        var waiting = RolloutPlanner.Plan(spec, first.State, Observe(), "r2", T0.AddSeconds(10));
        Assert.Equal(ClusterRolloutStatus.InFlight, waiting.Clusters.Single(c => c.Name == "dev").Status);

        var late = RolloutPlanner.Plan(spec, waiting.State, Observe(), "r2", T0.AddSeconds(22));
        Assert.Equal(ClusterRolloutStatus.Failed, late.Clusters.Single(c => c.Name == "dev").Status);
        Assert.Equal(RolloutPhase.Halted, late.Phase); // maxFailures 0, onFailure Pause
        Assert.Contains("new revision not applied", late.State.ToJson());
        Assert.Equal("r1", late.Clusters.Single(c => c.Name == "prod").Revision);
    }
}
