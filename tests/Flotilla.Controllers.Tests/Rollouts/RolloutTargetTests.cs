using Flotilla.Controllers.Charts;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Manifests;
using Flotilla.Core.Rollout;
using Flotilla.Core.Sync;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class RolloutTargetTests
{
    private static readonly ManifestSet Old = New();
    private static readonly ManifestSet Newest = New();

    private static ManifestSet New()
    {
        Assert.True(ManifestSet.TryBuild([], out var set, out _));
        return set;
    }

    private static RolloutTarget Rollout(string? a, string? b, IReadOnlyDictionary<string, string>? heldBack = null) => new(
        new RolloutPlan([new("a", a, "dev", ClusterRolloutStatus.InFlight), new("b", b, "prod", ClusterRolloutStatus.Pending)],
            RolloutState.Empty, RolloutPhase.Progressing, "moving", null),
        new Dictionary<string, ManifestSet> { ["r1"] = Old, ["r2"] = Newest }, "c1")
    {
        HeldBack = heldBack ?? new Dictionary<string, string>(),
    };

    private static BundleTarget Target(RolloutTarget? rollout) =>
        new("default/shop", 1, "r2", Newest, new SyncPolicy(),
            new Dictionary<string, ClusterIntent> { ["a"] = ClusterIntent.Sync, ["b"] = ClusterIntent.Sync, ["c"] = ClusterIntent.Sync },
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)) { Rollout = rollout };

    [Fact]
    public void Each_cluster_gets_the_revision_and_objects_its_plan_says_and_none_when_left_alone_or_held_back()
    {
        var target = Target(Rollout("r2", "r1"));
        Assert.Equal("r2", target.RevisionFor("a"));
        Assert.Same(Newest, target.ManifestsFor("a"));
        Assert.Equal("r1", target.RevisionFor("b"));
        Assert.Same(Old, target.ManifestsFor("b"));
        Assert.Null(target.RevisionFor("c"));
        Assert.Null(target.ManifestsFor("c"));

        var left = Target(Rollout("r2", null));
        Assert.Null(left.RevisionFor("b"));
        var held = Target(Rollout("r2", "r1", new Dictionary<string, string> { ["b"] = "snapshot gone" }));
        Assert.Null(held.RevisionFor("b"));
        Assert.Null(held.ManifestsFor("b"));
    }

    [Fact]
    public void Without_a_rollout_every_cluster_gets_the_bundle_revision()
    {
        var target = Target(null);
        Assert.Equal("r2", target.RevisionFor("c"));
        Assert.Same(Newest, target.ManifestsFor("c"));
    }

    [Fact]
    public void A_cluster_whose_planned_revision_changes_is_queued_and_the_others_are_not()
    {
        var before = Target(Rollout("r2", "r1"));
        var after = Target(Rollout("r2", "r2"));
        Assert.False(after.ChangedFor(before, "a"));
        Assert.True(after.ChangedFor(before, "b"));
        Assert.True(Target(Rollout("r2", null)).ChangedFor(before, "b"));
        Assert.True(Target(null).ChangedFor(before, "c"));
    }

    [Fact]
    public void A_chart_bundle_under_a_rollout_gives_each_cluster_its_own_render_of_its_planned_revision()
    {
        var devRender = ChartOutcome.Rendered(New(), "key-r2-eu");
        var prodRender = ChartOutcome.Rendered(New(), "key-r1-eu");
        var charts = new Dictionary<string, ChartOutcome> { ["a"] = devRender, ["b"] = prodRender };
        var rollout = new RolloutTarget(Rollout("r2", "r1").Plan, new Dictionary<string, ManifestSet>(), "c1");
        var target = Target(rollout) with { Charts = charts, Manifests = ManifestSet.Empty };

        Assert.Equal("r2", target.RevisionFor("a"));
        Assert.Same(devRender.Manifests, target.ManifestsFor("a"));
        Assert.Equal("r1", target.RevisionFor("b"));
        Assert.Same(prodRender.Manifests, target.ManifestsFor("b"));
        Assert.Null(target.RevisionFor("c")); // left alone by the plan: no sync, no prune

        // b moves to r2 with a new render: queued; a keeps the same render instance: not.
        var moved = Target(new RolloutTarget(Rollout("r2", "r2").Plan, new Dictionary<string, ManifestSet>(), "c1"))
            with { Charts = new Dictionary<string, ChartOutcome> { ["a"] = devRender, ["b"] = ChartOutcome.Rendered(New(), "key-r2-eu") } };
        Assert.False(moved.ChangedFor(target, "a"));
        Assert.True(moved.ChangedFor(target, "b"));
    }
}
