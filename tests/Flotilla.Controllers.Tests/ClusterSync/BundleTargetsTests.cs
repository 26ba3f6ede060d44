using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Controllers.Tests.ClusterSync;

/// <summary>The targets' bundle counts (for LeastBundles) and the set instances the placement memo compares by reference.</summary>
public sealed class BundleTargetsTests
{
    private readonly BundleTargets _targets = new();

    private void Target(string name, params (string Cluster, ClusterIntent Intent)[] clusters) =>
        _targets.Set(new BundleTarget($"apps/{name}", 1, "r1", ManifestSet.Empty, new SyncPolicy(), clusters.ToDictionary(c => c.Cluster, c => c.Intent),
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

    private Dictionary<string, int> Others(string name) => _targets.CountsExcept($"apps/{name}").ToDictionary();

    [Fact]
    public void Counts_are_of_other_bundles_synced_clusters_and_follow_every_set_and_remove()
    {
        Target("a", ("c1", ClusterIntent.Sync), ("c2", ClusterIntent.Sync));
        Target("b", ("c2", ClusterIntent.Sync), ("c3", ClusterIntent.Remove));
        Assert.Equal(new Dictionary<string, int> { ["c2"] = 1 }, Others("a"));
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1, ["c2"] = 1 }, Others("b"));
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1, ["c2"] = 2 }, Others("new"));

        Target("a", ("c1", ClusterIntent.Remove), ("c3", ClusterIntent.Sync));
        Assert.Equal(new Dictionary<string, int> { ["c2"] = 1, ["c3"] = 1 }, Others("new"));
        _targets.Remove("apps/b");
        Assert.Equal(new Dictionary<string, int> { ["c3"] = 1 }, Others("new"));
        Assert.Empty(Others("a"));
    }

    [Fact]
    public void The_synced_set_keeps_its_instance_while_the_clusters_stay_and_the_memo_then_sees_only_what_the_table_moved()
    {
        Target("a", ("c1", ClusterIntent.Sync), ("c2", ClusterIntent.Sync));
        var first = _targets.Synced("apps/a");
        var counts = _targets.CountsExcept("apps/a");
        Target("a", ("c2", ClusterIntent.Sync), ("c1", ClusterIntent.Sync), ("c9", ClusterIntent.Remove));
        Assert.Same(first, _targets.Synced("apps/a"));
        Target("b", ("c2", ClusterIntent.Sync));
        var later = _targets.CountsExcept("apps/a");
        Assert.Same(counts.Own, later.Own);
        Assert.Equal(["c2"], later.All.MovedSince(counts.All));

        Target("a", ("c1", ClusterIntent.Sync));
        Assert.NotSame(first, _targets.Synced("apps/a"));
        Assert.Equal(["c1"], _targets.Synced("apps/a"));
    }
}
