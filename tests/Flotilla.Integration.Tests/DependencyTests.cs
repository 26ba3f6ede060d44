using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// <c>dependsOn</c> on the real fleet: an app whose custom resource needs the CRD of another bundle is applied on each
/// member only once that bundle is Ready there (held back, with its reason, where it is suspended or not placed), is
/// removed before the CRD when both are deleted, and a cycle stalls its bundles without applying anything until broken.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class DependencyTests(FleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);
    private static readonly string[] Members = ["member-1", "member-2", "member-3"];
    private static readonly ApiResource Crds = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false);

    private static string Crd(string group) => $"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{group}
        spec:
          group: {group}
          scope: Namespaced
          names: {"{"}kind: Widget, plural: widgets, singular: widget, listKind: WidgetList{"}"}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """;

    private static string Widget(string group, string ns) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {ns}
        ---
        apiVersion: {group}/v1
        kind: Widget
        metadata:
          name: w1
          namespace: {ns}
        spec:
          size: 3
        """;

    private static string ConfigMap(string ns, string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  value: x\n";

    /// <summary>A bundle on the regions given (the three members by default: clusters other tests join stay out).</summary>
    private static Task BundleAsync(HubObjects hub, string ns, string name, string path, string[]? dependsOn = null, bool suspend = false, string[]? regions = null)
    {
        var spec = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "repo" },
            ["path"] = path,
            ["suspend"] = suspend,
            ["placement"] = new JsonObject
            {
                ["clusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject
                    {
                        ["key"] = "region", ["operator"] = "In",
                        ["values"] = new JsonArray([.. (regions ?? ["eu-west", "us-east", "ap-south"]).Select(r => (JsonNode)r)]),
                    }),
                },
            },
        };
        if (dependsOn is not null) spec["dependsOn"] = new JsonArray([.. dependsOn.Select(d => (JsonNode)new JsonObject { ["name"] = d })]);
        return hub.ApplyAsync(BundleResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
    }

    private static async Task<BundleClusterStatus?> EntryAsync(HubObjects hub, string bundle, string cluster) =>
        (await hub.BundleStatusAsync(bundle)).Status?.Clusters?.FirstOrDefault(c => c.Name == cluster);

    private static Func<Task<string>> Describe(HubObjects hub, params string[] bundles) => async () =>
        string.Join("\n", await Task.WhenAll(bundles.Select(async b => $"{b}: {KubernetesJson.Serialize((await hub.BundleStatusAsync(b)).Status)}")));

    private async Task<JsonObject?> FindAsync(string cluster, ApiResource resource, string? ns, string name)
    {
        using var member = fleet.Member(cluster);
        try
        {
            var found = ns is null
                ? await member.CustomObjects.GetClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural, name)
                : await member.CustomObjects.GetNamespacedCustomObjectAsync(resource.Group, resource.Version, ns, resource.Plural, name);
            return JsonNode.Parse(KubernetesJson.Serialize(found)) as JsonObject;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    /// <summary>The test's namespace on the hub and a repository with <c>crds/</c> (the Widget CRD) and <c>app/</c> (a Namespace and a Widget).</summary>
    private async Task<(HubObjects Hub, string Revision)> CrdsAndAppAsync(string ns, string group, string target)
    {
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var revision = repo.Commit(new Dictionary<string, string> { ["crds/crd.yaml"] = Crd(group), ["app/widget.yaml"] = Widget(group, target) });
        await hub.SourceAsync("repo", repo.Url);
        return (hub, revision);
    }

    [Fact]
    public async Task An_app_is_applied_on_a_member_only_once_its_crds_are_Ready_there_and_is_removed_before_them()
    {
        const string ns = "deps-order";
        const string group = ns + ".flotilla.io";
        const string target = ns + "-app";
        var widgets = new ApiResource(group, "v1", "Widget", "widgets", true);
        var (hub, revision) = await CrdsAndAppAsync(ns, group, target);

        // The CRDs bundle is suspended from the start: the app is held back on every member, saying why.
        await BundleAsync(hub, ns, "crds", "crds", suspend: true);
        await BundleAsync(hub, ns, "app", "app", dependsOn: ["crds"]);
        foreach (var member in Members)
            await Eventually.WaitAsync(async () => await EntryAsync(hub, "app", member) is { Phase: "DependencyNotReady" } e
                && e.Error == $"waiting for dependency {ns}/crds on cluster {member}: the bundle is suspended", Converge, $"app held back on {member}", Describe(hub, "app", "crds"));
        Assert.Contains((await hub.BundleStatusAsync("app")).Status!.Conditions!, c => c.Type == "Ready" && c.Status == "False" && c.Reason == "DependencyNotReady");
        foreach (var member in Members) Assert.Null(await FindAsync(member, Crds, null, $"widgets.{group}"));

        // Resumed, on member-1 only: the app follows there, and waits on the others, where the CRDs are not placed.
        await BundleAsync(hub, ns, "crds", "crds", regions: ["eu-west"]);
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", revision, ["member-1"]), Converge, "app synced on member-1", Describe(hub, "app", "crds"));
        var crd = await FindAsync("member-1", Crds, null, $"widgets.{group}");
        var widget = await FindAsync("member-1", widgets, target, "w1");
        Assert.NotNull(crd);
        Assert.NotNull(widget);
        Assert.True(string.CompareOrdinal(crd["metadata"]!["creationTimestamp"]!.GetValue<string>(), widget["metadata"]!["creationTimestamp"]!.GetValue<string>()) <= 0);
        await Eventually.WaitAsync(async () => await EntryAsync(hub, "app", "member-2") is { Phase: "DependencyNotReady" } e
            && e.Error == $"waiting for dependency {ns}/crds on cluster member-2: not placed there", Converge, "app held back on member-2", Describe(hub, "app", "crds"));
        foreach (var member in new[] { "member-2", "member-3" }) Assert.Null(await FindAsync(member, Crds, null, $"widgets.{group}"));

        // Everywhere: the app follows on every member.
        await BundleAsync(hub, ns, "crds", "crds");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", revision, Members), Converge, "app synced everywhere", Describe(hub, "app", "crds"));
        foreach (var member in Members) Assert.NotNull(await FindAsync(member, widgets, target, "w1"));

        // Both deleted, the CRDs first: on every member the Widget goes before its CRD is touched.
        var watches = new List<(string Member, RecordedWatch Widgets, RecordedWatch Crds, TimeSpan Offset)>();
        foreach (var member in Members)
        {
            var client = fleet.Member(member);
            var w = await RecordedWatch.StartAsync(client, widgets);
            var c = await RecordedWatch.StartAsync(client, Crds);
            watches.Add((member, w, c, w.Elapsed - c.Elapsed));
        }
        try
        {
            await hub.DeleteBundleAsync("crds");
            await hub.DeleteBundleAsync("app");
            await Eventually.WaitAsync(async () => await hub.FindBundleAsync("crds") is null && await hub.FindBundleAsync("app") is null, Converge, "both bundles gone",
                Describe(hub, "app", "crds"));
            foreach (var (member, w, c, offset) in watches)
            {
                var widgetGone = w.Events.First(e => e.Type == "DELETED" && e.Object["metadata"]?["name"]?.GetValue<string>() == "w1").At;
                var crdTouched = c.Events.First(e => e.Object["metadata"]?["name"]?.GetValue<string>() == $"widgets.{group}"
                    && (e.Type == "DELETED" || e.Object["metadata"]?["deletionTimestamp"] is not null)).At + offset;
                Assert.True(widgetGone < crdTouched, $"{member}: Widget deleted at {widgetGone}, CRD deletion started at {crdTouched}");
                // The API server finishes a CRD's deletion on its own (its cleanup finalizer): wait for it to go.
                await Eventually.WaitAsync(async () => await FindAsync(member, Crds, null, $"widgets.{group}") is null, Converge, $"CRD gone from {member}");
            }
        }
        finally
        {
            foreach (var (_, w, c, _) in watches)
            {
                await w.DisposeAsync();
                await c.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_dependency_cycle_stalls_its_bundles_and_applies_nothing_until_it_is_broken()
    {
        const string ns = "deps-cycle";
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var revision = repo.Commit(new Dictionary<string, string>
        {
            ["a/cm.yaml"] = ConfigMap(ns, "a"),
            ["b/cm.yaml"] = ConfigMap(ns, "b"),
        });
        await hub.SourceAsync("repo", repo.Url);
        using (var member = fleet.Member("member-1"))
        {
            try { await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } }); }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
        }

        await BundleAsync(hub, ns, "a", "a", dependsOn: ["b"], regions: ["eu-west"]);
        await BundleAsync(hub, ns, "b", "b", dependsOn: ["a"], regions: ["eu-west"]);
        foreach (var (bundle, cycle) in new[] { ("a", $"{ns}/a -> {ns}/b -> {ns}/a"), ("b", $"{ns}/b -> {ns}/a -> {ns}/b") })
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync(bundle)).Status?.Conditions?.Any(c => c.Type == "Stalled" && c.Status == "True"
                && c.Reason == "DependencyCycle" && c.Message!.Contains($"dependency cycle {cycle}", StringComparison.Ordinal)) == true,
                Converge, $"{bundle} stalled by the cycle", Describe(hub, "a", "b"));
        Assert.False(await new MemberObjects(fleet).ConfigMapExistsAsync("member-1", ns, "a"));
        Assert.False(await new MemberObjects(fleet).ConfigMapExistsAsync("member-1", ns, "b"));

        // b no longer depends on a: b syncs, then a follows it.
        await BundleAsync(hub, ns, "b", "b", regions: ["eu-west"]);
        await Eventually.WaitAsync(() => hub.SyncedAsync("a", revision, ["member-1"]), Converge, "a synced once the cycle is broken", Describe(hub, "a", "b"));
        Assert.True(await new MemberObjects(fleet).ConfigMapExistsAsync("member-1", ns, "b"));
        Assert.DoesNotContain((await hub.BundleStatusAsync("a")).Status!.Conditions!, c => c.Type == "Stalled" && c.Status == "True");

        await hub.DeleteBundleAsync("a");
        await hub.DeleteBundleAsync("b");
        await Eventually.WaitAsync(async () => await hub.FindBundleAsync("a") is null && await hub.FindBundleAsync("b") is null, Converge, "cleaned up");
    }

    [Fact]
    public async Task A_dependency_deleted_under_a_dependent_that_stays_waits_for_it_and_goes_once_the_dependent_drops_it()
    {
        const string ns = "deps-stays";
        const string group = ns + ".flotilla.io";
        const string target = ns + "-app";
        var widgets = new ApiResource(group, "v1", "Widget", "widgets", true);
        var (hub, revision) = await CrdsAndAppAsync(ns, group, target);
        await BundleAsync(hub, ns, "crds", "crds", regions: ["eu-west"]);
        await BundleAsync(hub, ns, "app", "app", dependsOn: ["crds"], regions: ["eu-west"]);
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", revision, ["member-1"]), Converge, "app synced on member-1", Describe(hub, "app", "crds"));

        // Only the CRDs are deleted: their removal would take the app's Widget with it, so it waits, and says what to do.
        await hub.DeleteBundleAsync("crds");
        await Eventually.WaitAsync(async () => await EntryAsync(hub, "crds", "member-1") is { Phase: "Removing" } e
            && e.Error == $"removal pending: {ns}/app depends on this bundle and stays on cluster member-1: remove it from there, or drop this bundle from its dependsOn",
            Converge, "crds removal waiting for app", Describe(hub, "app", "crds"));
        await Eventually.WaitAsync(async () => await EntryAsync(hub, "app", "member-1") is { Phase: "DependencyNotReady" } e
            && e.Error == $"waiting for dependency {ns}/crds on cluster member-1: the bundle is being deleted", Converge, "app held back", Describe(hub, "app", "crds"));
        Assert.NotNull(await FindAsync("member-1", Crds, null, $"widgets.{group}"));
        Assert.NotNull(await FindAsync("member-1", widgets, target, "w1"));

        // The app drops the dependency: the CRDs' removal goes on at once (the Widget goes with its CRD, as Kubernetes does).
        await BundleAsync(hub, ns, "app", "app", regions: ["eu-west"]);
        await Eventually.WaitAsync(async () => await hub.FindBundleAsync("crds") is null, Converge, "crds gone", Describe(hub, "app", "crds"));
        await Eventually.WaitAsync(async () => await FindAsync("member-1", Crds, null, $"widgets.{group}") is null, Converge, "CRD deleted on member-1");

        await hub.DeleteBundleAsync("app");
        await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is null, Converge, "cleaned up", Describe(hub, "app"));
    }
}
