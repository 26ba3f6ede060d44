using System.Diagnostics;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Removing a member from the fleet on the real local fleet: `cluster remove` waiting for the hub to clean the member,
/// `--orphan` leaving it as it is, and a Bundle deleted while one member's API server is stopped — finished when the
/// member returns, or when it is removed from the registry. Each test registers its members again at the end.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ClusterRemovalTests(FleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);
    private IEnumerable<string> Members => fleet.State.Members.Select(m => m.Name);
    private MemberObjects OnMember => new(fleet);
    private ClusterRegistry Registry => new(fleet.Hub);

    private static string ConfigMap(string ns, string name) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  value: \"1\"\n";

    /// <summary>A namespace <paramref name="ns"/> on the hub with a source whose commit holds that namespace and one ConfigMap per name.</summary>
    private async Task<(HubObjects Hub, string Revision)> SourceAsync(string ns, params string[] configMaps)
    {
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var files = configMaps.ToDictionary(c => $"{c}.yaml", c => ConfigMap(ns, c));
        files["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n";
        var revision = repo.Commit(files);
        await hub.SourceAsync("repo", repo.Url);
        return (hub, revision);
    }

    private async Task<bool> SecretExistsAsync(string cluster) =>
        (await fleet.Hub.CoreV1.ListNamespacedSecretAsync(FlotillaApi.SystemNamespace, fieldSelector: $"metadata.name={FlotillaApi.KubeconfigSecretName(cluster)}")).Items.Count > 0;

    private async Task<bool> AvailableAsync(string cluster) =>
        (await Registry.GetAsync(cluster, CancellationToken.None))?.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;

    /// <summary>Puts a removed member back (as the fleet's bootstrap registered it) and waits until the hub sees it Available.</summary>
    private async Task RejoinAsync(string cluster)
    {
        await Eventually.WaitAsync(async () => await Registry.GetAsync(cluster, CancellationToken.None) is not { Metadata.DeletionTimestamp: not null },
            Converge, $"{cluster} no longer being removed");
        await fleet.RejoinMembersAsync();
        await Eventually.WaitAsync(() => AvailableAsync(cluster), Converge, $"{cluster} Available again");
    }

    /// <summary>A bundle synced everywhere, then deleted while member-2's API server is stopped: only member-2 is left, Removing.</summary>
    private async Task<HubObjects> DeletedWhileMemberTwoIsDownAsync(string ns)
    {
        var (hub, rev) = await SourceAsync(ns, "a");
        await hub.BundleAsync("app", "repo", ".");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, Members), Converge, "synced everywhere", () => DescribeAsync(hub, "app"));
        await fleet.Launcher.StopProcessAsync("member-2-apiserver", CancellationToken.None);
        await hub.DeleteBundleAsync("app");
        await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is { Status.Clusters: [{ Name: "member-2", Phase: "Removing" }] },
            Converge, "only member-2 left, Removing", () => DescribeAsync(hub, "app"));
        return hub;
    }

    private async Task<string> DescribeAsync(HubObjects hub, string bundle) =>
        await hub.FindBundleAsync(bundle) is { } b ? KubernetesJson.Serialize(b.Status?.Clusters) + " finalizers=" + string.Join(",", b.Metadata.Finalizers ?? []) : "<gone>";

    [Fact]
    public async Task Cluster_remove_waits_while_the_hub_removes_every_bundle_from_the_member_then_the_registration_and_credentials_go()
    {
        const string ns = "rm-clean";
        var (hub, rev) = await SourceAsync(ns, "a");
        await hub.BundleAsync("app", "repo", ".");
        try
        {
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, Members), Converge, "app synced everywhere", () => DescribeAsync(hub, "app"));
            Assert.NotNull(await OnMember.InventoryAsync("member-3", ns, "app"));

            var clock = Stopwatch.StartNew();
            var remove = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "member-3", "--timeout", "2m");
            Console.WriteLine($"cluster remove member-3 (cleanup) took {clock.Elapsed.TotalSeconds:0.0}s:\n{remove.Stdout}");
            Assert.True(remove.ExitCode == 0, remove.ToString());
            var seen = $"{remove}\nbundle app: {await DescribeAsync(hub, "app")}\ncluster list: {(await CliRunner.RunAsync(fleet.Env, "cluster", "list")).Stdout}";
            // Other tests' bundles may be on member-3 too: the CLI names five and counts the rest.
            Assert.True(remove.Stdout.Contains("the hub removes") && (remove.Stdout.Contains($"{ns}/app") || remove.Stdout.Contains(", …)")), seen);
            Assert.Contains("cluster.flotilla.io/member-3 removed", remove.Stdout);

            Assert.Null(await Registry.GetAsync("member-3", CancellationToken.None));
            Assert.False(await SecretExistsAsync("member-3"), "credentials Secret left on the hub");
            Assert.False(await OnMember.ConfigMapExistsAsync("member-3", ns, "a"), "member-3: the bundle's object left behind");
            Assert.Null(await OnMember.InventoryAsync("member-3", ns, "app"));
            Assert.True(await OnMember.ConfigMapExistsAsync("member-1", ns, "a"), "member-1 was cleaned too");
            Assert.NotNull(await OnMember.InventoryAsync("member-1", ns, "app"));
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters?.All(c => c.Name != "member-3") == true,
                Converge, "the bundle's status no longer lists member-3");
        }
        finally
        {
            await RejoinAsync("member-3");
        }
    }

    [Fact]
    public async Task A_bundle_with_deletionPolicy_Orphan_leaves_its_objects_on_a_removed_cluster_and_only_its_inventory_goes()
    {
        const string ns = "rm-keep";
        var (hub, rev) = await SourceAsync(ns, "k");
        await hub.BundleAsync("kept", "repo", ".");
        await fleet.Hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("{\"spec\":{\"deletionPolicy\":\"Orphan\"}}", V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, "kept");
        try
        {
            await Eventually.WaitAsync(() => hub.SyncedAsync("kept", rev, Members), Converge, "synced everywhere", () => DescribeAsync(hub, "kept"));
            var remove = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "member-3", "--timeout", "2m");
            Assert.True(remove.ExitCode == 0, remove.ToString());
            Assert.Null(await Registry.GetAsync("member-3", CancellationToken.None));
            Assert.True(await OnMember.ConfigMapExistsAsync("member-3", ns, "k"), "an object of a deletionPolicy: Orphan bundle was deleted");
            Assert.Null(await OnMember.InventoryAsync("member-3", ns, "kept"));
        }
        finally
        {
            await RejoinAsync("member-3");
        }
    }

    [Fact]
    public async Task Cluster_remove_orphan_deletes_the_registration_at_once_and_leaves_the_objects_and_the_inventory_on_the_member()
    {
        const string ns = "rm-orphan";
        var (hub, rev) = await SourceAsync(ns, "a");
        await hub.BundleAsync("app", "repo", ".");
        try
        {
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", rev, Members), Converge, "synced everywhere", () => DescribeAsync(hub, "app"));
            var remove = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "member-3", "--orphan");
            Assert.True(remove.ExitCode == 0, remove.ToString());
            Assert.Contains("left on the member", remove.Stdout);
            Assert.Null(await Registry.GetAsync("member-3", CancellationToken.None));
            Assert.False(await SecretExistsAsync("member-3"), "credentials Secret left on the hub");

            // Once the hub has taken the removal in (the status drops member-3), the member still holds everything.
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters?.All(c => c.Name != "member-3") == true,
                Converge, "the bundle's status no longer lists member-3");
            Assert.True(await OnMember.ConfigMapExistsAsync("member-3", ns, "a"), "--orphan deleted an object on the member");
            var inventory = Inventory.Parse(await OnMember.InventoryAsync("member-3", ns, "app") ?? "");
            Assert.True(inventory.Contains(new ObjectRef("", "v1", "ConfigMap", ns, "a")), "--orphan deleted the inventory on the member");
        }
        finally
        {
            await RejoinAsync("member-3");
        }
    }

    [Fact]
    public async Task A_bundle_deleted_while_a_member_is_stopped_keeps_its_finalizer_shows_the_member_as_Removing_and_finishes_when_it_returns()
    {
        const string ns = "rm-down-back";
        try
        {
            // The reachable members are cleaned; member-2 is shown as Removing, retried, and the finalizer holds the Bundle.
            var hub = await DeletedWhileMemberTwoIsDownAsync(ns);
            foreach (var m in new[] { "member-1", "member-3" }) Assert.False(await OnMember.ConfigMapExistsAsync(m, ns, "a"), $"{m} not cleaned");
            // Retried with backoff until the probe calls the member Unreachable, which the entry then names.
            await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is { Status.Clusters: [{ Error: { } e }] } && e.Contains("Unreachable"),
                TimeSpan.FromSeconds(90), "the Removing entry names the unreachable member", () => DescribeAsync(hub, "app"));
            var held = await hub.FindBundleAsync("app");
            Assert.NotNull(held?.Metadata.DeletionTimestamp);
            Assert.Contains(FlotillaApi.CleanupFinalizer, held!.Metadata.Finalizers ?? []);
            Assert.Contains("removal pending", held.Status!.Clusters![0].Error);

            await fleet.RestoreAsync();
            var took = await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is null, TimeSpan.FromSeconds(120),
                "the bundle goes once member-2 is back and cleaned", () => DescribeAsync(hub, "app"));
            Console.WriteLine($"bundle finalized {took.TotalSeconds:0.0}s after member-2 was restarted");
            Assert.False(await OnMember.ConfigMapExistsAsync("member-2", ns, "a"), "member-2 not cleaned after it returned");
            Assert.Null(await OnMember.InventoryAsync("member-2", ns, "app"));
        }
        finally
        {
            await fleet.RestoreAsync();
        }
    }

    [Fact]
    public async Task A_bundle_deleted_while_a_member_is_stopped_finishes_without_it_once_the_member_is_removed_with_orphan()
    {
        const string ns = "rm-down-gone";
        try
        {
            var hub = await DeletedWhileMemberTwoIsDownAsync(ns);

            // Waiting for cleanup cannot finish while the member is down: the CLI says so and names the way out.
            var waiting = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "member-2", "--timeout", "3s");
            Assert.True(waiting.ExitCode == 1, waiting.ToString());
            Assert.Contains("still being removed", waiting.Stderr);
            Assert.Contains("cluster remove member-2 --orphan", waiting.Stderr);
            var removing = await Registry.GetAsync("member-2", CancellationToken.None);
            Assert.NotNull(removing?.Metadata.DeletionTimestamp);
            Assert.Contains(FlotillaApi.CleanupFinalizer, removing!.Metadata.Finalizers ?? []);
            await Eventually.WaitAsync(async () => (await Registry.GetAsync("member-2", CancellationToken.None))?.Status?.Conditions?
                    .FirstOrDefault(c => c.Type == FlotillaApi.RemovingCondition)?.Message is { } m && (m.Contains($"{ns}/app") || m.Contains(" more)")),
                Converge, "the Cluster's Removing condition names the pending bundle (or counts it among more than five)");
            var list = await CliRunner.RunAsync(fleet.Env, "cluster", "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Matches(@"member-2\s+\S+\s+Removing", list.Stdout);
            Assert.NotNull(await hub.FindBundleAsync("app")); // still held by member-2
            var rejoin = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "member-2", "--context", "member-2");
            Assert.True(rejoin.ExitCode == 1 && rejoin.Stderr.Contains("is being removed"), rejoin.ToString());

            var orphan = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "member-2", "--orphan");
            Assert.True(orphan.ExitCode == 0, orphan.ToString());
            Assert.Null(await Registry.GetAsync("member-2", CancellationToken.None));
            var took = await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is null, Converge,
                "the bundle goes once member-2 left the registry", () => DescribeAsync(hub, "app"));
            Console.WriteLine($"bundle finalized {took.TotalSeconds:0.0}s after `cluster remove member-2 --orphan`");

            await fleet.RestoreAsync();
            Assert.True(await OnMember.ConfigMapExistsAsync("member-2", ns, "a"), "an orphaned member was written to");
        }
        finally
        {
            await fleet.RestoreAsync();
            await RejoinAsync("member-2");
        }
    }
}
