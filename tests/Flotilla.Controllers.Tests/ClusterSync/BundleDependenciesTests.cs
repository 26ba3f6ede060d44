using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Dependencies;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.ClusterSync;

/// <summary>The hub's view of dependsOn: observations from targets and results, which pairs a report releases, and which bundles an edge change re-plans.</summary>
public sealed class BundleDependenciesTests
{
    private readonly BundleTargets _targets = new();
    private readonly SyncResults _results = new();
    private readonly List<string> _reconciled = [];
    private readonly List<string> _queued = [];
    private readonly BundleDependencies _dependencies;

    public BundleDependenciesTests() => _dependencies = new BundleDependencies(_targets, _results, _reconciled.Add, _queued.Add);

    private static BundleResource Bundle(string name, string[]? dependsOn = null, bool deleting = false, string[]? statusClusters = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "apps", DeletionTimestamp = deleting ? DateTime.UnixEpoch : null },
        Spec = new BundleSpec { DependsOn = dependsOn?.Select(d => d.Contains('/') ? new BundleDependency { Namespace = d.Split('/')[0], Name = d.Split('/')[1] } : new BundleDependency { Name = d }).ToList() },
        Status = statusClusters is null ? null : new BundleStatus { Clusters = [.. statusClusters.Select(c => new BundleClusterStatus { Name = c })] },
    };

    private void Target(string name, params (string Cluster, ClusterIntent Intent)[] clusters) =>
        _targets.Set(new BundleTarget($"apps/{name}", 1, "r1", ManifestSet.Empty, new SyncPolicy(), clusters.ToDictionary(c => c.Cluster, c => c.Intent),
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

    private void Report(string name, string cluster, SyncPhase phase, HealthStatus health = HealthStatus.Healthy) =>
        _results.Set($"apps/{name}", cluster, new SyncResult(phase, "r1", 1, 0, 0, health, null, []), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Dependencies_resolve_to_keys_in_the_bundles_namespace_unless_named()
    {
        Assert.Equal(["apps/crds", "platform/operator"], BundleDependencies.KeysOf(Bundle("app", ["crds", "platform/operator"])).ToArray());
    }

    [Fact]
    public void A_dependency_is_Ready_on_a_cluster_only_once_it_reports_its_revision_healthy_there()
    {
        _dependencies.Set(Bundle("crds"));
        Assert.Equal(DependencyState.NotSynced, DependencyReadiness.Of(_dependencies.Observe("apps/crds", "c1")).State);
        Target("crds", ("c1", ClusterIntent.Sync));
        Report("crds", "c1", SyncPhase.Synced, HealthStatus.Progressing);
        Assert.Equal(DependencyState.Progressing, DependencyReadiness.Of(_dependencies.Observe("apps/crds", "c1")).State);
        Report("crds", "c1", SyncPhase.Synced);
        Assert.Equal(DependencyState.Ready, DependencyReadiness.Of(_dependencies.Observe("apps/crds", "c1")).State);
        Assert.Equal(DependencyState.NotPlaced, DependencyReadiness.Of(_dependencies.Observe("apps/crds", "c2")).State);
        Assert.Equal(DependencyState.NotFound, DependencyReadiness.Of(_dependencies.Observe("apps/nothing", "c1")).State);
    }

    [Fact]
    public void A_Ready_report_releases_only_the_dependents_held_back_on_that_cluster()
    {
        _dependencies.Set(Bundle("crds"));
        _dependencies.Set(Bundle("app", ["crds"]));
        _dependencies.Set(Bundle("synced", ["crds"]));
        Target("crds", ("c1", ClusterIntent.Sync));
        Report("app", "c1", SyncPhase.DependencyNotReady);
        Report("synced", "c1", SyncPhase.Synced);
        Report("crds", "c1", SyncPhase.Synced, HealthStatus.Progressing);
        Assert.Empty(_dependencies.ReleasedBySync("apps/crds", "c1"));

        Report("crds", "c1", SyncPhase.Synced);

        Assert.Equal(["apps/app/c1"], _dependencies.ReleasedBySync("apps/crds", "c1").ToArray());
    }

    [Fact]
    public void A_removal_waits_for_every_dependent_still_on_the_cluster_and_is_released_when_the_last_one_goes_or_drops_it()
    {
        _dependencies.Set(Bundle("crds", deleting: true));
        _dependencies.Set(Bundle("app", ["crds"], deleting: true));
        _dependencies.Set(Bundle("stays", ["crds"]));
        Target("crds", ("c1", ClusterIntent.Remove));
        Target("app", ("c1", ClusterIntent.Remove));
        Target("stays", ("c1", ClusterIntent.Sync));
        _results.Set("apps/crds", "c1", SyncResult.Failure(SyncPhase.Removing, "r1", "removal pending"), DateTimeOffset.UnixEpoch);
        Assert.Equal("apps/app", DependencyGate.ForRemoval(_dependencies.Graph, "apps/crds", "c1", d => _dependencies.Observe(d, "c1"))?.WaitsFor);

        // The app's removal is done: it releases the CRDs' removal, and tells the dependent that stays.
        _results.MarkRemoved("apps/app", "c1");
        Assert.Equal(["apps/crds/c1", "apps/stays/c1"], _dependencies.ReleasedByRemoval("apps/app", "c1").Concat(_dependencies.ReleasedByRemoval("apps/crds", "c1")).ToArray());
        Assert.Equal("apps/stays", DependencyGate.ForRemoval(_dependencies.Graph, "apps/crds", "c1", d => _dependencies.Observe(d, "c1"))?.WaitsFor);

        // The one that stays drops the dependency: the waiting removal looks again, and goes.
        _queued.Clear();
        _dependencies.Set(Bundle("stays"));
        Assert.Equal(["apps/crds/c1"], _queued);
        Assert.Null(DependencyGate.ForRemoval(_dependencies.Graph, "apps/crds", "c1", d => _dependencies.Observe(d, "c1")));
    }

    [Fact]
    public void A_dependent_gone_from_the_hub_releases_the_removal_that_waited_for_it_in_the_window_before()
    {
        _dependencies.Set(Bundle("b", deleting: true));
        _dependencies.Set(Bundle("a", ["b"], deleting: true, statusClusters: ["c1"]));
        Target("b", ("c1", ClusterIntent.Remove));
        // a's finalizer is released: its target and results are forgotten, but the hub has not seen it gone yet, so by its
        // status it may still hold c1 and b's removal waits there.
        _results.Set("apps/b", "c1", SyncResult.Failure(SyncPhase.Removing, "r1", "removal pending"), DateTimeOffset.UnixEpoch);
        Assert.Equal("apps/a", DependencyGate.ForRemoval(_dependencies.Graph, "apps/b", "c1", d => _dependencies.Observe(d, "c1"))?.WaitsFor);

        _queued.Clear();
        _dependencies.Remove("apps/a");
        Assert.Equal(["apps/b/c1"], _queued);
        Assert.Null(DependencyGate.ForRemoval(_dependencies.Graph, "apps/b", "c1", d => _dependencies.Observe(d, "c1")));
    }

    [Fact]
    public void After_a_restart_a_dependent_without_a_target_is_on_the_clusters_its_status_lists()
    {
        _dependencies.Set(Bundle("crds", deleting: true));
        _dependencies.Set(Bundle("stays", ["crds"], statusClusters: ["c1"]));
        Assert.Equal(DependencyPlacement.Placed, _dependencies.Observe("apps/stays", "c1").Placement);
        _dependencies.Set(Bundle("app", ["crds"], deleting: true, statusClusters: ["c1"]));

        Assert.Equal(DependencyPlacement.Leaving, _dependencies.Observe("apps/app", "c1").Placement);
        Assert.Equal(DependencyPlacement.NotPlaced, _dependencies.Observe("apps/app", "c2").Placement);
        _results.MarkRemoved("apps/app", "c1");
        Assert.Equal(DependencyPlacement.NotPlaced, _dependencies.Observe("apps/app", "c1").Placement);
    }

    [Fact]
    public void An_edge_change_re_plans_every_bundle_it_may_put_into_or_out_of_a_cycle()
    {
        _dependencies.Set(Bundle("a", ["b"]));
        _dependencies.Set(Bundle("b"));
        _dependencies.Set(Bundle("c", ["a"]));
        _reconciled.Clear();

        _dependencies.Set(Bundle("b", ["a"]));
        Assert.Equal(["apps/a", "apps/c"], _reconciled.Order(StringComparer.Ordinal));
        Assert.Equal("apps/a -> apps/b -> apps/a", DependencyGraph.Describe(_dependencies.Graph.CycleThrough("apps/a")));

        _reconciled.Clear();
        _dependencies.Set(Bundle("b", ["a"]));
        Assert.Empty(_reconciled);

        _dependencies.Set(Bundle("b"));
        Assert.Equal(["apps/a", "apps/c"], _reconciled.Order(StringComparer.Ordinal));
        Assert.True(_dependencies.Graph.CycleThrough("apps/a").IsEmpty);

        _reconciled.Clear();
        _dependencies.Remove("apps/a");
        Assert.Equal(["apps/c"], _reconciled);
        Assert.False(_dependencies.Graph.Contains("apps/a"));
    }

    [Fact]
    public void A_dependency_that_changes_queues_the_pairs_it_holds_back_so_their_reason_is_current()
    {
        _dependencies.Set(Bundle("app", ["crds"]));
        Report("app", "c1", SyncPhase.DependencyNotReady);
        Report("app", "c2", SyncPhase.DependencyNotReady);
        _dependencies.Set(Bundle("crds"));
        Assert.Equal(["apps/app/c1", "apps/app/c2"], _queued.Order(StringComparer.Ordinal));

        _queued.Clear();
        var target = new BundleTarget("apps/crds", 1, "r1", ManifestSet.Empty, new SyncPolicy(), new Dictionary<string, ClusterIntent> { ["c1"] = ClusterIntent.Sync },
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        _dependencies.Published(null, target);
        Assert.Equal(2, _queued.Count);

        _queued.Clear();
        _dependencies.Set(Bundle("crds"));
        _dependencies.Published(target, target with { Generation = 2 });
        Assert.Empty(_queued);

        _dependencies.Published(target, target with { Clusters = new Dictionary<string, ClusterIntent> { ["c1"] = ClusterIntent.Sync, ["c2"] = ClusterIntent.Sync } });
        Assert.Equal(2, _queued.Count);

        // The dependency leaves c3, where the app is synced (not held back): the app's pair there looks again too.
        Report("app", "c3", SyncPhase.Synced);
        Target("app", ("c1", ClusterIntent.Sync), ("c2", ClusterIntent.Sync), ("c3", ClusterIntent.Sync));
        var onC3 = target with { Clusters = new Dictionary<string, ClusterIntent> { ["c1"] = ClusterIntent.Sync, ["c3"] = ClusterIntent.Sync } };
        _queued.Clear();
        _dependencies.Published(onC3, onC3 with { Clusters = new Dictionary<string, ClusterIntent> { ["c1"] = ClusterIntent.Sync, ["c3"] = ClusterIntent.Remove } });
        Assert.Equal(["apps/app/c1", "apps/app/c2", "apps/app/c3"], _queued.Order(StringComparer.Ordinal));
    }
}
