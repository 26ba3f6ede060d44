using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Placement;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class BundleStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 4, 0, 0, 123, TimeSpan.Zero);
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";

    private static BundleResource Bundle() => new() { Metadata = new() { Name = "shop", NamespaceProperty = "default", Generation = 3 } };

    private static BundleTarget Target(IEnumerable<string> clusters, BundleProblem? problem = null) =>
        new("default/shop", 3, Revision, ManifestSet.Empty, new SyncPolicy(), clusters.ToDictionary(c => c, _ => ClusterIntent.Sync, StringComparer.Ordinal),
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)) { Problem = problem };

    private static Dictionary<string, (SyncResult, DateTimeOffset)> Results(IEnumerable<(string Cluster, SyncResult Result)> results) =>
        results.ToDictionary(r => r.Cluster, r => (r.Result, Now), StringComparer.Ordinal);

    private static int Bytes(BundleStatus status) => System.Text.Encoding.UTF8.GetByteCount((string)StatusPatch.Replace(status).Content);

    [Fact]
    public void Status_stays_under_256_KiB_at_1000_clusters_with_63_character_names_real_timestamps_failing_and_drifting()
    {
        var error = new string('x', 5000);
        var drift = Enumerable.Range(0, 50).Select(i => new DriftRecord(new ObjectRef("", "v1", "ConfigMap", "shop", $"cm-{i}"), "data.value", "kubectl-edit", true)).ToList();
        var names = Enumerable.Range(0, 1000).Select(i => $"cluster-{i:0000}-".PadRight(63, 'x')).ToList();
        Assert.All(names, n => Assert.Equal(63, n.Length));
        var failing = new SyncResult(SyncPhase.Failed, Revision, 300, 300, 12, HealthStatus.Degraded, error, drift)
        {
            Stage = "Resources", PartialRevision = Revision, Warnings = [error], HealthMessage = error,
        };
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(names), Results(names.Select(n => (n, failing))));
        var bytes = Bytes(status);
        Assert.True(bytes < 256 * 1024, $"status is {bytes / 1024} KiB");
        Assert.Equal(1000, status.Clusters!.Count);
        Assert.Equal(1000, status.Summary!.Failed);
        Assert.Equal(0, status.Clusters[0].LastSyncTime!.Value.Millisecond);

        var synced = new SyncResult(SyncPhase.Synced, Revision, 300, 0, 0, HealthStatus.Healthy, null, []);
        var healthy = new BundleStatusBuilder(Bundle(), Now).Build(Target(names), Results(names.Select(n => (n, synced))));
        Assert.True(Bytes(healthy) < 256 * 1024, $"status is {Bytes(healthy) / 1024} KiB");
    }

    [Fact]
    public void Ready_only_when_every_cluster_applied_the_desired_revision_and_is_healthy()
    {
        var healthy = new SyncResult(SyncPhase.Synced, Revision, 3, 0, 0, HealthStatus.Healthy, null, []);
        var ready = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a", "b"]), Results([("a", healthy), ("b", healthy)]));
        Assert.Contains(ready.Conditions!, c => c.Type == "Ready" && c.Status == "True" && c.Message == "2 clusters synced and healthy at 0123456789ab");
        var single = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a"]), Results([("a", healthy)]));
        Assert.Contains(single.Conditions!, c => c.Type == "Ready" && c.Message == "1 cluster synced and healthy at 0123456789ab");

        var progressing = healthy with { Health = HealthStatus.Progressing, HealthMessage = "Deployment/shop/web: 1 of 2 updated" };
        var notReady = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a", "b"]), Results([("a", healthy), ("b", progressing)]));
        var condition = Assert.Single(notReady.Conditions!, c => c.Type == "Ready");
        Assert.Equal("False", condition.Status);
        Assert.Equal("Progressing", condition.Reason);
        Assert.Contains("b Synced/Progressing", condition.Message);

        var stale = healthy with { AppliedRevision = "old" };
        var behind = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a"]), Results([("a", stale)]));
        Assert.Contains(behind.Conditions!, c => c.Type == "Ready" && c.Status == "False");
    }

    [Fact]
    public void A_failure_that_knows_no_applied_revision_keeps_the_one_the_status_recorded()
    {
        // A hub that just restarted has no earlier result: its first failure carries no applied revision.
        var bundle = Bundle();
        bundle.Status = new BundleStatus { Clusters = [new BundleClusterStatus { Name = "a", Phase = "Synced", AppliedRevision = "r1", Health = "Healthy" }] };
        var failed = SyncResult.Failure(SyncPhase.Unreachable, null, "cluster is not probed yet");
        var status = new BundleStatusBuilder(bundle, Now).Build(Target(["a"]), Results([("a", failed)]));
        var entry = Assert.Single(status.Clusters!);
        Assert.Equal("Unreachable", entry.Phase);
        Assert.Equal("r1", entry.AppliedRevision);
    }

    [Fact]
    public void A_hub_that_has_not_placed_the_bundle_yet_keeps_the_clusters_the_status_recorded()
    {
        // Just restarted: the first reconcile waits for the source (or the first probes) and knows no cluster yet.
        var bundle = Bundle();
        bundle.Status = new BundleStatus { Clusters = [new BundleClusterStatus { Name = "a", Phase = "Synced", AppliedRevision = "r1", Health = "Healthy" }] };
        var unplaced = new BundleTarget("default/shop", 3, null, ManifestSet.Empty, new SyncPolicy(), new Dictionary<string, ClusterIntent>(),
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)) { Problem = new("SourceNotReady", "waiting for GitRepository repo to be fetched", Stalled: false) };
        var status = new BundleStatusBuilder(bundle, Now).Build(unplaced, Results([]));
        var entry = Assert.Single(status.Clusters!);
        Assert.Equal(("a", "r1", "Synced"), (entry.Name, entry.AppliedRevision, entry.Phase));
        Assert.Contains(status.Conditions!, c => c.Type == "Ready" && c.Status == "False" && c.Reason == "SourceNotReady");
    }

    [Fact]
    public void An_unreachable_cluster_is_never_counted_healthy_whatever_its_objects_said_last()
    {
        var unreachable = new SyncResult(SyncPhase.Unreachable, Revision, 3, 0, 0, HealthStatus.Healthy, "cluster is Unreachable", []);
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a"]), Results([("a", unreachable)]));
        Assert.Equal(nameof(HealthStatus.Unknown), Assert.Single(status.Clusters!).Health);
        Assert.Equal(0, status.Summary!.Healthy);
        Assert.Contains(status.Conditions!, c => c.Type == "Ready" && c.Status == "False" && c.Reason == "ClustersFailing");
    }

    [Fact]
    public void A_render_failure_is_stalled_and_keeps_the_clusters_entries()
    {
        var bundle = Bundle();
        bundle.Status = new BundleStatus { Clusters = [new BundleClusterStatus { Name = "a", Phase = "Synced", AppliedRevision = "old" }] };
        var status = new BundleStatusBuilder(bundle, Now).Build(Target(["a"], new BundleProblem("RenderFailed", "one.yaml: duplicate; two.yaml: duplicate", Stalled: true)), Results([]));
        Assert.Contains(status.Conditions!, c => c.Type == "Stalled" && c.Status == "True");
        Assert.Equal("old", Assert.Single(status.Clusters!).AppliedRevision);
        Assert.Contains("one.yaml", status.RenderError);
    }

    [Fact]
    public void A_cluster_leaving_the_placement_shows_as_removing_until_it_is_cleaned()
    {
        var healthy = new SyncResult(SyncPhase.Synced, Revision, 3, 0, 0, HealthStatus.Healthy, null, []);
        var target = Target(["a"]) with { Clusters = new Dictionary<string, ClusterIntent> { ["a"] = ClusterIntent.Sync, ["b"] = ClusterIntent.Remove } };
        var status = new BundleStatusBuilder(Bundle(), Now).Build(target, Results([("a", healthy), ("b", healthy)]));
        Assert.Equal(nameof(SyncPhase.Removing), status.Clusters!.Single(c => c.Name == "b").Phase);
        Assert.Equal(1, status.Summary!.Placed);
        Assert.Contains(status.Conditions!, c => c.Type == "Reconciling" && c.Status == "True" && c.Message!.Contains("removing from 1 cluster"));
    }

    [Fact]
    public void A_bundle_placed_on_no_cluster_is_not_ready_and_says_why()
    {
        var decision = new PlacementDecision([], [new ClusterOutcome("m1", false, null, null, "label env=dev does not match")], null);
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target([]) with { Placement = decision }, Results([]));
        var ready = Assert.Single(status.Conditions!, c => c.Type == "Ready");
        Assert.Equal(("False", "NoClustersSelected"), (ready.Status, ready.Reason));
        Assert.Equal("placement selected none of 1 cluster; m1: label env=dev does not match", ready.Message);
        Assert.Contains(status.Conditions!, c => c.Type == "Reconciling" && c.Status == "False");
        Assert.Equal(0, status.Summary!.Placed);

        var leaving = Target(["m1"]) with { Placement = decision, Clusters = new Dictionary<string, ClusterIntent> { ["m1"] = ClusterIntent.Remove } };
        var removing = new BundleStatusBuilder(Bundle(), Now).Build(leaving, Results([]));
        Assert.Contains(removing.Conditions!, c => c.Type == "Ready" && c.Reason == "NoClustersSelected" && c.Message!.EndsWith("; removing from 1 cluster"));
        Assert.Contains(removing.Conditions!, c => c.Type == "Reconciling" && c.Status == "True");
    }

    [Fact]
    public void Clusters_held_back_by_a_dependency_say_why_and_the_bundle_is_not_ready_for_that_reason()
    {
        const string why = "waiting for dependency default/crds on cluster a: Progressing";
        var held = SyncResult.Failure(SyncPhase.DependencyNotReady, null, why);
        var healthy = new SyncResult(SyncPhase.Synced, Revision, 3, 0, 0, HealthStatus.Healthy, null, []);

        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a", "b"]), Results([("a", held), ("b", healthy)]));

        var a = status.Clusters!.Single(c => c.Name == "a");
        Assert.Equal((nameof(SyncPhase.DependencyNotReady), why, nameof(HealthStatus.Unknown)), (a.Phase, a.Error, a.Health));
        Assert.Contains(status.Conditions!, c => c.Type == "Ready" && c.Status == "False" && c.Reason == "DependencyNotReady" && c.Message!.Contains("a DependencyNotReady/Unknown"));

        var cycle = new BundleStatusBuilder(Bundle(), Now).Build(Target(["a"], new BundleProblem("DependencyCycle", "spec.dependsOn: dependency cycle default/shop -> default/shop", Stalled: true)), Results([]));
        Assert.Contains(cycle.Conditions!, c => c.Type == "Stalled" && c.Status == "True" && c.Reason == "DependencyCycle");
    }
}
