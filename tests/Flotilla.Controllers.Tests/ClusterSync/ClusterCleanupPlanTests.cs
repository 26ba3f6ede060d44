using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.ClusterSync;

public sealed class ClusterCleanupPlanTests
{
    private readonly BundleTargets _targets = new();
    private readonly SyncResults _results = new();

    private static BundleResource Bundle(string name, params string[] statusClusters) => new()
    {
        Metadata = new() { NamespaceProperty = "team", Name = name },
        Status = new BundleStatus { Clusters = [.. statusClusters.Select(c => new BundleClusterStatus { Name = c, Phase = "Synced" })] },
    };

    private void Target(string name, params string[] clusters) => _targets.Set(new BundleTarget($"team/{name}", 1, "r1", ManifestSet.Empty, new SyncPolicy(),
        clusters.ToDictionary(c => c, _ => ClusterIntent.Remove), OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

    private ClusterCleanupPlan Plan(params BundleResource[] bundles) => ClusterCleanupPlan.For("gone", bundles, _targets, _results);

    [Fact]
    public void A_cluster_no_bundle_records_is_done_at_once()
    {
        Assert.True(Plan(Bundle("web", "other"), Bundle("api")).Done);
    }

    [Fact]
    public void A_bundle_waits_when_its_status_or_its_target_names_the_cluster_until_its_removal_is_done()
    {
        Target("api", "gone");
        var bundles = new[] { Bundle("web", "gone", "other"), Bundle("api") };
        Assert.Equal(["team/api", "team/web"], Plan(bundles).Pending.Select(p => p.Bundle));

        _results.MarkRemoved("team/web", "gone");
        Assert.Equal(["team/api"], Plan(bundles).Pending.Select(p => p.Bundle));
        _results.MarkRemoved("team/api", "gone");
        Assert.True(Plan(bundles).Done);
    }

    [Fact]
    public void The_last_removal_error_says_why_a_bundle_is_pending_and_an_unreachable_member_is_the_reason()
    {
        _results.Set("team/web", "gone", SyncResult.Failure(SyncPhase.Removing, "r1", "removal pending: cluster is Unreachable: kept as applied, retried with backoff"), DateTimeOffset.UnixEpoch);
        var plan = Plan(Bundle("web", "gone"));

        var (reason, message) = plan.Describe("gone", "Unreachable");
        Assert.Equal("Unreachable", reason);
        Assert.Contains("team/web: removal pending: cluster is Unreachable", message);
        Assert.Contains("`flotilla cluster remove gone --orphan`", message);
        Assert.Equal("RemovingBundles", plan.Describe("gone", null).Reason);
    }

    [Fact]
    public void A_suspended_bundle_is_named_as_what_holds_the_removal()
    {
        var bundle = Bundle("web", "gone");
        bundle.Spec.Suspend = true;
        Assert.Contains("suspended", Assert.Single(Plan(bundle).Pending).Why);
    }

    [Fact]
    public void The_message_names_a_few_bundles_and_counts_the_rest()
    {
        var bundles = Enumerable.Range(0, 8).Select(i => Bundle($"b{i}", "gone")).ToArray();
        var (_, message) = Plan(bundles).Describe("gone", null);
        Assert.StartsWith("removing 8 bundles from the member: team/b0: removal queued;", message);
        Assert.EndsWith("(and 3 more)", message);
        Assert.DoesNotContain("team/b5", message);
    }
}
