using Flotilla.Controllers.Bundles;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class BundleStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";

    private static BundleResource Bundle() => new() { Metadata = new() { Name = "shop", NamespaceProperty = "default", Generation = 3 } };

    [Fact]
    public void Status_stays_under_256_KiB_at_1000_failing_and_drifting_clusters()
    {
        var error = new string('x', 5000);
        var drift = Enumerable.Range(0, 50).Select(i => new DriftRecord(new ObjectRef("", "v1", "ConfigMap", "shop", $"cm-{i}"), "data.value", "kubectl-edit", true)).ToList();
        var results = Enumerable.Range(0, 1000).ToDictionary(i => $"member-{i:0000}",
            i => new SyncResult(SyncPhase.Failed, Revision, 300, 300, 12, HealthStatus.Degraded, error, drift));
        var status = new BundleStatusBuilder(Bundle(), Now).Synced(Revision, results);
        var bytes = System.Text.Encoding.UTF8.GetByteCount((string)StatusPatch.Replace(status).Content);
        Assert.True(bytes < 256 * 1024, $"status is {bytes / 1024} KiB");
        Assert.Equal(1000, status.Clusters!.Count);
        Assert.Equal(1000, status.Summary!.Failed);
    }

    [Fact]
    public void Ready_only_when_every_cluster_applied_the_desired_revision_and_is_healthy()
    {
        var healthy = new SyncResult(SyncPhase.Synced, Revision, 3, 0, 0, HealthStatus.Healthy, null, []);
        var ready = new BundleStatusBuilder(Bundle(), Now).Synced(Revision, new Dictionary<string, SyncResult> { ["a"] = healthy, ["b"] = healthy });
        Assert.Contains(ready.Conditions!, c => c.Type == "Ready" && c.Status == "True" && c.Message == "2 clusters synced and healthy at 0123456789ab");
        var single = new BundleStatusBuilder(Bundle(), Now).Synced(Revision, new Dictionary<string, SyncResult> { ["a"] = healthy });
        Assert.Contains(single.Conditions!, c => c.Type == "Ready" && c.Message == "1 cluster synced and healthy at 0123456789ab");

        var progressing = healthy with { Health = HealthStatus.Progressing, Error = "Deployment/shop/web: 1 of 2 updated" };
        var notReady = new BundleStatusBuilder(Bundle(), Now).Synced(Revision, new Dictionary<string, SyncResult> { ["a"] = healthy, ["b"] = progressing });
        var condition = Assert.Single(notReady.Conditions!, c => c.Type == "Ready");
        Assert.Equal("False", condition.Status);
        Assert.Equal("Progressing", condition.Reason);
        Assert.Contains("b Synced/Progressing", condition.Message);

        var stale = healthy with { AppliedRevision = "old" };
        var behind = new BundleStatusBuilder(Bundle(), Now).Synced(Revision, new Dictionary<string, SyncResult> { ["a"] = stale });
        Assert.Contains(behind.Conditions!, c => c.Type == "Ready" && c.Status == "False");
    }

    [Fact]
    public void A_render_failure_is_stalled_and_keeps_the_clusters_entries()
    {
        var bundle = Bundle();
        bundle.Status = new BundleStatus { Clusters = [new BundleClusterStatus { Name = "a", Phase = "Synced", AppliedRevision = "old" }] };
        var status = new BundleStatusBuilder(bundle, Now).RenderFailed(Revision, ["one.yaml: duplicate", "two.yaml: duplicate"]);
        Assert.Contains(status.Conditions!, c => c.Type == "Stalled" && c.Status == "True");
        Assert.Equal("old", Assert.Single(status.Clusters!).AppliedRevision);
        Assert.Contains("one.yaml", status.RenderError);
    }
}
