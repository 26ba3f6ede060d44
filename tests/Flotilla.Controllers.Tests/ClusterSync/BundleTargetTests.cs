using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Controllers.Tests.ClusterSync;

public sealed class BundleTargetTests
{
    private static BundleTarget Target(string revision = "r1", long generation = 1, ClusterIntent intent = ClusterIntent.Sync) =>
        new("default/shop", generation, revision, ManifestSet.Empty, new SyncPolicy(),
            new Dictionary<string, ClusterIntent> { ["a"] = intent }, OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));

    [Fact]
    public void Only_a_change_that_concerns_the_cluster_queues_it()
    {
        var before = Target();
        Assert.True(before.ChangedFor(null, "a"));
        Assert.False(Target().ChangedFor(before, "a"));
        Assert.True(Target(revision: "r2").ChangedFor(before, "a"));
        Assert.True(Target(generation: 2).ChangedFor(before, "a"));
        Assert.True(Target(intent: ClusterIntent.Remove).ChangedFor(before, "a"));
        Assert.True((Target() with { Clusters = new Dictionary<string, ClusterIntent> { ["a"] = ClusterIntent.Sync, ["b"] = ClusterIntent.Sync } }).ChangedFor(before, "b"));
    }

    [Fact]
    public void A_new_reconcile_request_queues_every_cluster_again()
    {
        var before = Target() with { ReconcileRequestedAt = "2026-12-02T06:00:00Z" };
        Assert.False((Target() with { ReconcileRequestedAt = "2026-12-02T06:00:00Z" }).ChangedFor(before, "a"));
        Assert.True((Target() with { ReconcileRequestedAt = "2026-12-02T06:05:00Z" }).ChangedFor(before, "a"));
    }

    [Fact]
    public void A_problem_that_cleared_queues_every_cluster_again()
    {
        var stalled = Target() with { Problem = new BundleProblem("DependencyCycle", "dependency cycle default/shop -> default/db -> default/shop", Stalled: true) };
        Assert.True(Target().ChangedFor(stalled, "a"));
    }
}
