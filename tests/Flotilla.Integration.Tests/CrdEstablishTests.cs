using System.Text.Json.Nodes;
using k8s.Autorest;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The way out of a CRD a server left "names accepted, installing" (a server stopped between its naming step and its
/// establishing step persists that state, and only an update of the CRD queues it to be established again): the
/// executor rewrites its Established condition as installing, once. Shown here on a real API server: the rewritten
/// CRD is Established again, and its custom resources are served. (The stopped-server state itself cannot be produced on
/// demand: any write to the CRD, the test's own included, queues it; the executor's side is unit-tested with a member
/// that stays stuck, ExecutorStageTests.A_CRD_left_accepted_but_never_established_….)
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class CrdEstablishTests(FleetFixture fleet)
{
    private const string Crd = "gadgets.stuck.example.com";

    [Fact]
    public async Task Rewriting_a_CRD_as_installing_gets_it_established_again_by_a_real_API_server()
    {
        const string ns = "default";
        var definition = $$$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: {{{Crd}}}}
            spec:
              group: stuck.example.com
              names: {kind: Gadget, plural: gadgets, singular: gadget}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """;
        using var member = fleet.Member("member-1");
        await member.ApiextensionsV1.CreateCustomResourceDefinitionAsync(k8s.KubernetesYaml.Deserialize<V1CustomResourceDefinition>(definition));
        try
        {
            await Eventually.WaitAsync(async () => Established(await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crd)), TimeSpan.FromSeconds(30), "the CRD Established");
            var dynamic = new Flotilla.Kube.Clients.DynamicClient(member);
            using var cache = new Flotilla.Kube.Cache.MemberObjectCache(dynamic);
            var kind = (await dynamic.ResourceForAsync("apiextensions.k8s.io/v1", "CustomResourceDefinition", CancellationToken.None))!;

            var current = (await dynamic.GetAsync(kind, null, Crd, CancellationToken.None))!;
            await new Flotilla.Kube.Sync.MemberClusterClient(dynamic, cache).RestartEstablishingAsync(kind, current, CancellationToken.None);
            var rewritten = await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crd);
            Assert.True(!Established(rewritten) || rewritten.Metadata.ResourceVersion != current["metadata"]!["resourceVersion"]!.GetValue<string>(), "the rewrite changed nothing");

            await Eventually.WaitAsync(async () => Established(await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crd)), TimeSpan.FromSeconds(15),
                "the CRD Established again", async () => k8s.KubernetesJson.Serialize((await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crd)).Status),
                pollEvery: TimeSpan.FromMilliseconds(50));
            var accepted = (await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crd)).Status.Conditions.Single(c => c.Type == "NamesAccepted");
            Assert.Equal("True", accepted.Status);
            await member.CustomObjects.CreateNamespacedCustomObjectAsync(
                new JsonObject { ["apiVersion"] = "stuck.example.com/v1", ["kind"] = "Gadget", ["metadata"] = new JsonObject { ["name"] = "g" } }, "stuck.example.com", "v1", ns, "gadgets");
        }
        finally
        {
            await member.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(Crd);
        }
    }

    private static bool Established(V1CustomResourceDefinition crd) =>
        crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
}
