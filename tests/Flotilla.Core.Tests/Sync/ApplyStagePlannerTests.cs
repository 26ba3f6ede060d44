using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync;

public sealed class ApplyStagePlannerTests
{
    private static readonly Manifest[] Everything =
    [
        ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop"),
        ManifestBuilder.Manifest("example.com/v1", "Widget", "w", "shop"),
        ManifestBuilder.Manifest("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "check"),
        ManifestBuilder.Manifest("v1", "Service", "web", "shop"),
        ManifestBuilder.Manifest("v1", "Namespace", "shop"),
        ManifestBuilder.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", "rb", "shop"),
        ManifestBuilder.Manifest("v1", "Secret", "creds", "shop"),
        ManifestBuilder.Manifest("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
        ManifestBuilder.Manifest("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"),
        ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop"),
        ManifestBuilder.Manifest("apiregistration.k8s.io/v1", "APIService", "v1.metrics.example.com"),
        ManifestBuilder.Manifest("rbac.authorization.k8s.io/v1", "Role", "r", "shop"),
        ManifestBuilder.Manifest("scheduling.k8s.io/v1", "PriorityClass", "high"),
        ManifestBuilder.Manifest("v1", "ServiceAccount", "sa", "shop"),
        ManifestBuilder.Manifest("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "reader"),
        ManifestBuilder.Manifest("storage.k8s.io/v1", "StorageClass", "fast"),
        ManifestBuilder.Manifest("batch/v1", "Job", "migrate", "shop"),
        ManifestBuilder.Manifest("apps/v1", "StatefulSet", "db", "shop"),
        ManifestBuilder.Manifest("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "inject"),
        ManifestBuilder.Manifest("example.com/v1", "Gadget", "g", "shop"),
        ManifestBuilder.Manifest("apps/v1", "Deployment", "api", "shop"),
    ];

    [Fact]
    public void Stages_follow_definitions_then_resources_by_kind_then_webhooks()
    {
        var plan = ApplyStagePlanner.Plan(ManifestBuilder.Set(Everything));

        Assert.Equal([ApplyStageKind.ClusterDefinitions, ApplyStageKind.Resources, ApplyStageKind.Webhooks], plan.Stages.Select(s => s.Kind));
        Assert.Equal(Everything.Length, plan.Count);
        Assert.Equal(
            [
                "apiextensions.k8s.io/CustomResourceDefinition/widgets.example.com",
                "Namespace/shop",
                "rbac.authorization.k8s.io/ClusterRole/reader",
                "rbac.authorization.k8s.io/ClusterRoleBinding/reader",
                "scheduling.k8s.io/PriorityClass/high",
                "storage.k8s.io/StorageClass/fast",
            ],
            Names(plan.Stages[0]));
        Assert.Equal(
            [
                "ServiceAccount/shop/sa",
                "rbac.authorization.k8s.io/Role/shop/r",
                "rbac.authorization.k8s.io/RoleBinding/shop/rb",
                "ConfigMap/shop/cfg",
                "Secret/shop/creds",
                "Service/shop/web",
                "apps/Deployment/shop/api",
                "apps/Deployment/shop/web",
                "apps/StatefulSet/shop/db",
                "batch/Job/shop/migrate",
                "example.com/Gadget/shop/g",
                "example.com/Widget/shop/w",
            ],
            Names(plan.Stages[1]));
        Assert.Equal(
            [
                "admissionregistration.k8s.io/MutatingWebhookConfiguration/inject",
                "admissionregistration.k8s.io/ValidatingWebhookConfiguration/check",
                "apiregistration.k8s.io/APIService/v1.metrics.example.com",
            ],
            Names(plan.Stages[2]));
    }

    [Fact]
    public void Plan_is_the_same_for_any_input_order()
    {
        var expected = Flatten(ApplyStagePlanner.Plan(ManifestBuilder.Set(Everything)));
        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            var shuffled = Everything.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(expected, Flatten(ApplyStagePlanner.Plan(ManifestBuilder.Set(shuffled))));
        }
    }

    [Fact]
    public void Empty_stages_are_omitted()
    {
        var plan = ApplyStagePlanner.Plan(ManifestBuilder.Set(
            ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop"),
            ManifestBuilder.Manifest("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "check")));

        Assert.Equal([ApplyStageKind.Resources, ApplyStageKind.Webhooks], plan.Stages.Select(s => s.Kind));
        Assert.Empty(ApplyStagePlanner.Plan(ManifestSet.Empty).Stages);
    }

    [Fact]
    public void Only_a_definitions_stage_with_a_crd_waits_for_established()
    {
        var withCrd = ApplyStagePlanner.Plan(ManifestBuilder.Set(
            ManifestBuilder.Manifest("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
            ManifestBuilder.Manifest("v1", "Namespace", "shop")));
        var withoutCrd = ApplyStagePlanner.Plan(ManifestBuilder.Set(ManifestBuilder.Manifest("v1", "Namespace", "shop")));

        Assert.True(withCrd.Stages[0].WaitsForEstablishedDefinitions);
        Assert.False(withoutCrd.Stages[0].WaitsForEstablishedDefinitions);
    }

    [Theory]
    [InlineData("v1", "Namespace", ApplyStageKind.ClusterDefinitions)]
    [InlineData("example.com/v1", "Namespace", ApplyStageKind.Resources)]
    [InlineData("example.com/v1", "CustomResourceDefinition", ApplyStageKind.Resources)]
    [InlineData("networking.k8s.io/v1", "IngressClass", ApplyStageKind.ClusterDefinitions)]
    [InlineData("node.k8s.io/v1", "RuntimeClass", ApplyStageKind.ClusterDefinitions)]
    [InlineData("networking.k8s.io/v1", "Ingress", ApplyStageKind.Resources)]
    [InlineData("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", ApplyStageKind.Webhooks)]
    [InlineData("apiregistration.k8s.io/v1", "APIService", ApplyStageKind.Webhooks)]
    public void Stage_depends_on_group_and_kind(string apiVersion, string kind, ApplyStageKind expected)
    {
        Assert.Equal(expected, ApplyOrder.StageOf(ManifestBuilder.Ref(apiVersion, kind, "x")));
    }

    [Fact]
    public void Apply_order_compares_equal_only_for_equal_identities()
    {
        var a = ManifestBuilder.Ref("apps/v1", "Deployment", "web", "shop");
        var b = ManifestBuilder.Ref("apps/v1beta1", "Deployment", "web", "shop");
        var c = ManifestBuilder.Ref("apps/v1", "Deployment", "web", "other");

        Assert.Equal(0, ApplyOrder.Instance.Compare(a, b));
        Assert.NotEqual(0, ApplyOrder.Instance.Compare(a, c));
        Assert.True(ApplyOrder.Instance.Compare(ManifestBuilder.Ref("v1", "Namespace", "z"), ManifestBuilder.Ref("v1", "ConfigMap", "a", "a")) < 0);
    }

    [Fact]
    public void A_reference_keeps_its_kinds_order_and_a_copy_with_another_group_or_kind_takes_its_own()
    {
        var deployment = ManifestBuilder.Ref("apps/v1", "Deployment", "web", "shop");
        var service = ManifestBuilder.Ref("v1", "Service", "web", "shop");
        Assert.Equal(ApplyStageKind.Resources, ApplyOrder.StageOf(deployment));
        Assert.True(ApplyOrder.Instance.Compare(service, deployment) < 0);
        Assert.True(ApplyOrder.Instance.Compare(service, deployment) < 0);
        Assert.Equal(ApplyStageKind.Resources, ApplyOrder.StageOf(deployment with { Version = "v1beta1" }));

        var ns = deployment with { Group = "", Kind = "Namespace", Namespace = "" };
        Assert.Equal(ApplyStageKind.ClusterDefinitions, ApplyOrder.StageOf(ns));
        Assert.True(ApplyOrder.Instance.Compare(ns, service) < 0);
        Assert.Equal(ApplyStageKind.Webhooks, ApplyOrder.StageOf(deployment with { Group = "admissionregistration.k8s.io", Kind = "MutatingWebhookConfiguration" }));
        // A kind the table does not list ranks after every listed kind of its stage.
        var widget = deployment with { Group = "example.com", Kind = "Widget" };
        Assert.Equal(ApplyStageKind.Resources, ApplyOrder.StageOf(widget));
        Assert.True(ApplyOrder.Instance.Compare(deployment, widget) < 0);
    }

    private static string[] Names(ApplyStage stage) => stage.Manifests.Select(m => m.Ref.ToString()).ToArray();

    private static string[] Flatten(ApplyPlan plan) =>
        plan.Stages.SelectMany(s => s.Manifests.Select(m => $"{s.Kind}:{m.Ref}")).ToArray();
}
