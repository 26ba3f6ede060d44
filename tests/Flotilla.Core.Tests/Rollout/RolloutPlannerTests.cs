using Flotilla.Core.Clusters;
using Flotilla.Core.Rollout;

namespace Flotilla.Core.Tests.Rollout;

/// <summary>Planner properties the scenarios do not show step by step: input order, a changed stage list, cost.</summary>
public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RolloutSpec TwoStages = new()
    {
        Strategy = RolloutStrategy.Staged,
        Stages =
        [
            new("canary", LabelSelector.Parse("env=canary"), After: [RolloutGate.Approval]),
            new("prod", LabelSelector.Parse("env=prod"), MaxConcurrency: IntOrPercent.Percent(10)),
        ],
    };

    [Fact]
    public void Cluster_order_in_the_input_does_not_change_the_plan()
    {
        var fleet = Fleet(50, "r1");
        var reversed = fleet.AsEnumerable().Reverse().ToList();

        Assert.Equal(RolloutPlanner.Plan(TwoStages, null, fleet, "r2", Now), RolloutPlanner.Plan(TwoStages, null, reversed, "r2", Now));
    }

    [Fact]
    public void A_cluster_listed_twice_is_refused()
    {
        var a = Fleet(1, "r1")[0];
        Assert.Throws<ArgumentException>(() => RolloutPlanner.Plan(TwoStages, null, [a, a], "r2", Now));
    }

    [Fact]
    public void A_changed_stage_list_restarts_from_the_first_stage_keeping_approvals_so_no_gate_is_asked_twice()
    {
        var fleet = Fleet(20, "r2");
        var state = new RolloutState
        {
            Revision = "r2",
            LastHealthyRevision = "r1",
            Stage = 1,
            Step = RolloutStep.Rolling,
            Stages = [new("canary", 1, 1, 0), new("prod", 19, 0, 0), new(RolloutSpec.UnmatchedStageName, 0, 0, 0)],
            Approvals = ["canary/after/0"],
        };
        var renamed = TwoStages with { Stages = [TwoStages.Stages[0], TwoStages.Stages[1] with { Name = "production" }] };

        var plan = RolloutPlanner.Plan(renamed, state, fleet, "r2", Now);

        Assert.Equal(RolloutPhase.Completed, plan.Phase);
        Assert.Equal(["canary", "production", RolloutSpec.UnmatchedStageName], plan.State.Stages.Select(s => s.Name));
        Assert.All(plan.Clusters, c => Assert.Equal("r2", c.Revision));
    }

    [Fact]
    public void A_pause_is_the_users_and_holds_the_run_of_a_newer_commit_too()
    {
        var fleet = Fleet(3, "r1");
        var paused = RolloutPlanner.Plan(TwoStages, null, fleet, "r2", Now, [RolloutCommand.Pause()]);

        var superseded = RolloutPlanner.Plan(TwoStages, paused.State, fleet, "r3", Now.AddMinutes(1));

        Assert.Equal(RolloutPhase.Paused, superseded.Phase);
        Assert.Equal("r3", superseded.State.Revision);
        Assert.All(superseded.Clusters, c => Assert.Equal(("r1", ClusterRolloutStatus.Pending), (c.Revision, c.Status)));
    }

    [Fact]
    public void Planning_five_thousand_clusters_allocates_little_per_cluster()
    {
        var fleet = Fleet(5000, "r1");
        var first = RolloutPlanner.Plan(TwoStages, null, fleet, "r2", Now);
        var state = first.State with { Approvals = ["canary/after/0"] };
        RolloutPlanner.Plan(TwoStages, state, fleet, "r2", Now); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var plan = RolloutPlanner.Plan(TwoStages, state, fleet, "r2", Now.AddMinutes(1));
        var perCluster = (GC.GetAllocatedBytesForCurrentThread() - before) / fleet.Count;

        Assert.Equal(RolloutPhase.Progressing, plan.Phase);
        // The output array holds one 32-byte struct per cluster; selector matching and bookkeeping stay in the same range.
        Assert.True(perCluster < 300, $"{perCluster} bytes allocated per cluster");
    }

    // One canary and the rest prod, all healthy on the given revision since an hour ago, in name order.
    private static List<ClusterObservation> Fleet(int count, string revision) =>
        Enumerable.Range(0, count)
            .Select(i => new ClusterObservation(
                $"c{i:D5}",
                new Dictionary<string, string> { ["env"] = i == 0 ? "canary" : "prod" },
                true, revision, Now.AddHours(-1), true, Now.AddHours(-1), Now.AddMinutes(-1)))
            .ToList();
}
