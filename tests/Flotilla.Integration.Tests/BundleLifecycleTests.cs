using System.Text.Json.Nodes;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Engine v2 on the real fleet: deletion with both policies (finalizer), a cluster leaving the placement, a later
/// stage failing after an earlier one wrote, a member stopped mid-sync between stages, a member killed while a large
/// bundle syncs. Every wait has a deadline; nothing sleeps.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class BundleLifecycleTests(FleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);
    private IEnumerable<string> Members => fleet.State.Members.Select(m => m.Name);

    private static string ConfigMap(string ns, string name, string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  value: \"{value}\"\n";

    private static string ClusterRole(string name) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {name}\nrules: []\n";

    private async Task<(HubObjects Hub, GitFixtureRepo Repo)> SetUpAsync(string name)
    {
        var hub = new HubObjects(fleet.Hub, name);
        await hub.EnsureNamespaceAsync();
        return (hub, new GitFixtureRepo(fleet.Directory, $"repo-{name}"));
    }

    private Task<bool> ExistsAsync(string cluster, string ns, string name) => new MemberObjects(fleet).ConfigMapExistsAsync(cluster, ns, name);

    private async Task<bool> ClusterRoleExistsAsync(string cluster, string name)
    {
        using var member = fleet.Member(cluster);
        try { await member.RbacAuthorizationV1.ReadClusterRoleAsync(name); return true; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return false; }
    }

    private async Task<bool> NamespaceGoneOrTerminatingAsync(string cluster, string ns)
    {
        using var member = fleet.Member(cluster);
        try { return (await member.CoreV1.ReadNamespaceAsync(ns)).Status?.Phase == "Terminating"; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return true; }
    }

    private Task<string?> InventoryAsync(string cluster, string bundleNamespace, string bundle) => new MemberObjects(fleet).InventoryAsync(cluster, bundleNamespace, bundle);

    private async Task<bool> BundleGoneAsync(string ns, string name) => await new HubObjects(fleet.Hub, ns).FindBundleAsync(name) is null;

    private Task DeleteBundleAsync(string ns, string name) => new HubObjects(fleet.Hub, ns).DeleteBundleAsync(name);

    [Fact]
    public async Task Deleting_a_bundle_with_a_name_too_long_for_a_label_removes_its_objects_its_namespace_and_its_inventory_everywhere()
    {
        const string ns = "life-delete";
        var name = "a-bundle-whose-name-is-far-too-long-for-a-kubernetes-label-value-" + new string('z', 20);
        var (hub, repo) = await SetUpAsync(ns);
        var rev = repo.Commit(new Dictionary<string, string> { ["a.yaml"] = ConfigMap("life-delete-target", "a", "1"), ["role.yaml"] = ClusterRole("life-delete-role") });
        await hub.SourceAsync("repo", repo.Url);
        await hub.ApplyAsync(BundleResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["sourceRef"] = new JsonObject { ["name"] = "repo" }, ["path"] = ".", ["targetNamespace"] = "life-delete-target",
                ["sync"] = new JsonObject { ["createNamespace"] = true },
            },
        });
        await Eventually.WaitAsync(() => hub.SyncedAsync(name, rev, Members), Converge, "synced with a created namespace");
        var bundle = await hub.BundleStatusAsync(name);
        Assert.Contains(BundleReconcilerFinalizer, bundle.Metadata.Finalizers ?? []);
        using (var member = fleet.Member("member-1"))
        {
            var labels = (await member.CoreV1.ReadNamespacedConfigMapAsync("a", "life-delete-target")).Metadata.Labels;
            Assert.True(labels[OwnershipLabels.Bundle].Length <= 63, labels[OwnershipLabels.Bundle]);
            Assert.Equal($"{ns}/{name}", (await member.CoreV1.ReadNamespacedConfigMapAsync("a", "life-delete-target")).Metadata.Annotations[OwnershipLabels.BundleName]);
        }

        await DeleteBundleAsync(ns, name);
        await Eventually.WaitAsync(() => BundleGoneAsync(ns, name), Converge, "bundle gone once every member is cleaned");
        foreach (var m in Members)
        {
            Assert.False(await ExistsAsync(m, "life-delete-target", "a"), $"{m}: ConfigMap left behind");
            Assert.False(await ClusterRoleExistsAsync(m, "life-delete-role"), $"{m}: ClusterRole left behind");
            Assert.Null(await InventoryAsync(m, ns, name));
            Assert.True(await NamespaceGoneOrTerminatingAsync(m, "life-delete-target"), $"{m}: created namespace left behind");
        }
    }

    private const string BundleReconcilerFinalizer = "flotilla.io/cleanup";

    [Fact]
    public async Task Deleting_a_bundle_with_deletionPolicy_Orphan_leaves_its_objects_and_removes_only_the_inventory()
    {
        const string ns = "life-orphan";
        var (hub, repo) = await SetUpAsync(ns);
        var rev = repo.Commit(new Dictionary<string, string> { ["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", ["a.yaml"] = ConfigMap(ns, "a", "1") });
        await hub.SourceAsync("repo", repo.Url);
        await hub.BundleAsync("app", "repo", ".");
        await fleet.Hub.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch("{\"spec\":{\"deletionPolicy\":\"Orphan\"}}", k8s.Models.V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, "app");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, Members), Converge, "synced");
        await DeleteBundleAsync(ns, "app");
        await Eventually.WaitAsync(() => BundleGoneAsync(ns, "app"), Converge, "bundle gone");
        foreach (var m in Members)
        {
            Assert.True(await ExistsAsync(m, ns, "a"), $"{m}: an orphaned object was deleted");
            Assert.Null(await InventoryAsync(m, ns, "app"));
        }
    }

    [Fact]
    public async Task A_cluster_relabelled_out_of_the_placement_is_cleaned_and_leaves_the_status()
    {
        const string ns = "life-placement";
        var (hub, repo) = await SetUpAsync(ns);
        var rev = repo.Commit(new Dictionary<string, string> { ["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", ["a.yaml"] = ConfigMap(ns, "a", "1") });
        await hub.SourceAsync("repo", repo.Url);
        var label = await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-3", "life=yes");
        Assert.True(label.ExitCode == 0, label.ToString());
        try
        {
            await hub.BundleAsync("app", "repo", ".", selector: new JsonObject { ["matchLabels"] = new JsonObject { ["life"] = "yes" } });
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, ["member-3"]), Converge, "placed on member-3");
            Assert.True(await ExistsAsync("member-3", ns, "a"));

            Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-3", "life-")).ExitCode);
            await Eventually.WaitAsync(async () => !await ExistsAsync("member-3", ns, "a") && await InventoryAsync("member-3", ns, "app") is null,
                Converge, "member-3 cleaned after leaving the placement");
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters?.Count == 0, Converge, "status no longer lists member-3");
        }
        finally
        {
            await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-3", "life-");
        }
    }

    [Fact]
    public async Task Flotilla_reconcile_bundle_resyncs_every_cluster_at_once_whatever_the_interval()
    {
        const string ns = "life-reconcile";
        var (hub, repo) = await SetUpAsync(ns);
        var rev = repo.Commit(new Dictionary<string, string> { ["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", ["a.yaml"] = ConfigMap(ns, "a", "1") });
        await hub.SourceAsync("repo", repo.Url);
        await hub.BundleAsync("app", "repo", ".", sync: new JsonObject { ["interval"] = "1h" });
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, Members), Converge, "synced");
        var before = await hub.LastSyncTimesAsync("app");

        var request = await CliRunner.RunAsync(fleet.Env, "reconcile", "bundle", "app", "-n", ns);
        Assert.True(request.ExitCode == 0, request.ToString());
        await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status!.Clusters!.All(c => c.LastSyncTime > before[c.Name]),
            TimeSpan.FromSeconds(30), "every cluster resynced after the request");
    }

    [Fact]
    public async Task A_later_stage_failing_leaves_the_earlier_stages_objects_on_record_and_the_next_commit_prunes_them()
    {
        const string ns = "life-stages";
        var (hub, repo) = await SetUpAsync(ns);
        var nsYaml = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n";
        var bad = repo.Commit(new Dictionary<string, string>
        {
            ["ns.yaml"] = nsYaml,
            ["role.yaml"] = ClusterRole("life-stages-role"),
            ["svc.yaml"] = $"apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\n  namespace: {ns}\nspec:\n  ports:\n  - port: 70000\n    protocol: TCP\n",
        });
        await hub.SourceAsync("repo", repo.Url);
        await hub.BundleAsync("app", "repo", ".");
        await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters is { Count: 3 } c && c.All(x => x.Phase == "Failed"),
            Converge, "stage Resources fails everywhere");
        var entry = (await hub.BundleStatusAsync("app")).Status!.Clusters!.First();
        Assert.Equal("Resources", entry.Stage);
        Assert.Equal(bad, entry.PartialRevision);
        foreach (var m in Members)
        {
            Assert.True(await ClusterRoleExistsAsync(m, "life-stages-role"), $"{m}: stage 1 was written");
            Assert.Contains("life-stages-role", await InventoryAsync(m, ns, "app"));
        }

        var good = repo.Commit(new Dictionary<string, string> { ["ns.yaml"] = nsYaml, ["a.yaml"] = ConfigMap(ns, "a", "ok") });
        await hub.RequestFetchAsync("repo");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", good, Members), Converge, "the fixed commit syncs");
        foreach (var m in Members) Assert.False(await ClusterRoleExistsAsync(m, "life-stages-role"), $"{m}: stage-1 object of the failed revision orphaned");
    }

    [Fact]
    public async Task A_member_stopped_between_stages_orphans_nothing_and_the_next_sync_completes()
    {
        const string ns = "life-interrupt";
        var (hub, repo) = await SetUpAsync(ns);
        var crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.life.example.com}
            spec:
              group: life.example.com
              names: {kind: Widget, plural: widgets, singular: widget}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """;
        var files = new Dictionary<string, string>
        {
            ["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n",
            ["crd.yaml"] = crd,
            ["w.yaml"] = $"apiVersion: life.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: {ns}\nspec: {{size: 1}}\n",
        };
        for (var i = 0; i < 40; i++) files[$"cm-{i}.yaml"] = ConfigMap(ns, $"cm-{i}", "1");
        var rev = repo.Commit(files);
        await hub.SourceAsync("repo", repo.Url);
        await hub.BundleAsync("app", "repo", ".", selector: new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/hostname-none"] = "x" } });
        // Placed nowhere first, so the stop can be timed: member-2 gets the bundle, and is stopped once its CRD (stage 1) exists.
        var label = await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-2", "kubernetes.io/hostname-none=x");
        Assert.True(label.ExitCode == 0, label.ToString());
        try
        {
            using (var member = fleet.Member("member-2"))
                await Eventually.WaitAsync(async () =>
                {
                    try { await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.life.example.com"); return true; }
                    catch (k8s.Autorest.HttpOperationException) { return false; }
                }, Converge, "stage 1 written on member-2", pollEvery: TimeSpan.FromMilliseconds(20));
            await fleet.Launcher.StopProcessAsync("member-2-apiserver", CancellationToken.None);
            await fleet.RestoreAsync();
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, ["member-2"]), TimeSpan.FromSeconds(120), "the next sync completes after the member returns");
            // Nothing orphaned: every object carrying the bundle's label is in its inventory.
            var inventory = Inventory.Parse(await InventoryAsync("member-2", ns, "app") ?? "");
            using var client = fleet.Member("member-2");
            var labelled = await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: $"{OwnershipLabels.ManagedBy}={OwnershipLabels.ManagedByValue},{OwnershipLabels.Bundle}={OwnershipLabels.ValueFor(ns, "app")}");
            Assert.Equal(40, labelled.Items.Count);
            Assert.All(labelled.Items, cm => Assert.True(inventory.Contains(new Flotilla.Core.Manifests.ObjectRef("", "v1", "ConfigMap", cm.Metadata.NamespaceProperty, cm.Metadata.Name)), $"{cm.Metadata.Name} not on record"));
            Assert.Equal(43, inventory.Count);
        }
        finally
        {
            await fleet.RestoreAsync();
            await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-2", "kubernetes.io/hostname-none-");
        }
    }
}
