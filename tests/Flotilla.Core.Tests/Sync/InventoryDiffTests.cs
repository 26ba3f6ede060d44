using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync;

public sealed class InventoryDiffTests
{
    private static readonly ObjectRef Crd = ManifestBuilder.Ref("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com");
    private static readonly ObjectRef Ns = ManifestBuilder.Ref("v1", "Namespace", "shop");
    private static readonly ObjectRef ClusterRole = ManifestBuilder.Ref("rbac.authorization.k8s.io/v1", "ClusterRole", "reader");
    private static readonly ObjectRef Sa = ManifestBuilder.Ref("v1", "ServiceAccount", "sa", "shop");
    private static readonly ObjectRef Cfg = ManifestBuilder.Ref("v1", "ConfigMap", "cfg", "shop");
    private static readonly ObjectRef Svc = ManifestBuilder.Ref("v1", "Service", "web", "shop");
    private static readonly ObjectRef Deploy = ManifestBuilder.Ref("apps/v1", "Deployment", "web", "shop");
    private static readonly ObjectRef Widget = ManifestBuilder.Ref("example.com/v1", "Widget", "w", "shop");
    private static readonly ObjectRef Webhook = ManifestBuilder.Ref("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "check");

    [Fact]
    public void Prunes_what_is_no_longer_desired_in_reverse_apply_order()
    {
        var previous = new Inventory([Crd, Ns, ClusterRole, Sa, Cfg, Svc, Deploy, Widget, Webhook]);

        var diff = InventoryDiff.Compute(previous, [Cfg]);

        Assert.False(diff.PruneWithheld);
        Assert.Equal([Webhook, Widget, Deploy, Svc, Sa, ClusterRole, Ns, Crd], diff.Prune);
        Assert.Empty(diff.Added);
    }

    [Fact]
    public void Nothing_to_prune_when_everything_is_still_desired()
    {
        var previous = new Inventory([Ns, Cfg]);

        var diff = InventoryDiff.Compute(previous, [Cfg, Ns, Deploy]);

        Assert.Empty(diff.Prune);
        Assert.Equal([Deploy], diff.Added);
    }

    [Fact]
    public void A_version_change_is_not_a_prune()
    {
        var previous = new Inventory([ManifestBuilder.Ref("autoscaling/v1", "HorizontalPodAutoscaler", "web", "shop")]);

        var diff = InventoryDiff.Compute(previous, [ManifestBuilder.Ref("autoscaling/v2", "HorizontalPodAutoscaler", "web", "shop")]);

        Assert.Empty(diff.Prune);
        Assert.Empty(diff.Added);
    }

    [Fact]
    public void Pruned_refs_keep_the_version_they_were_applied_at()
    {
        var previous = new Inventory([ManifestBuilder.Ref("autoscaling/v2beta2", "HorizontalPodAutoscaler", "web", "shop"), Cfg]);

        var diff = InventoryDiff.Compute(previous, [Cfg]);

        Assert.Equal("v2beta2", Assert.Single(diff.Prune).Version);
    }

    [Fact]
    public void An_empty_desired_set_never_prunes_by_default()
    {
        var previous = new Inventory([Ns, Deploy]);

        var diff = InventoryDiff.Compute(previous, []);

        Assert.True(diff.PruneWithheld);
        Assert.Empty(diff.Prune);
    }

    [Fact]
    public void An_empty_desired_set_prunes_everything_when_allowed()
    {
        var previous = new Inventory([Ns, Deploy]);

        var diff = InventoryDiff.Compute(previous, [], allowEmpty: true);

        Assert.False(diff.PruneWithheld);
        Assert.Equal([Deploy, Ns], diff.Prune);
    }

    [Fact]
    public void Empty_to_empty_is_not_withheld()
    {
        var diff = InventoryDiff.Compute(Inventory.Empty, []);

        Assert.False(diff.PruneWithheld);
        Assert.Empty(diff.Prune);
    }

    [Fact]
    public void First_sync_adds_everything_in_apply_order()
    {
        var diff = InventoryDiff.Compute(Inventory.Empty, [Deploy, Webhook, Ns, Crd]);

        Assert.Equal([Crd, Ns, Deploy, Webhook], diff.Added);
        Assert.Empty(diff.Prune);
    }
}
