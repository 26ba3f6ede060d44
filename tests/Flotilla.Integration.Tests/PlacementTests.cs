using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Placement and overrides on the real fleet: a NoSelect-tainted cluster gets only the bundles that tolerate it, every
/// cluster left out has its reason (in status and in <c>flotilla placement explain</c>), and override rules give each
/// region its own values, with a rule that does not apply failing that cluster only.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PlacementTests(FleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private static string ConfigMap(string ns, string name, string value, bool substitute = false) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
        {(substitute ? "  annotations: {flotilla.io/substitute: \"true\"}\n" : "")}data:
          value: "{value}"
        """;

    private async Task<string?> ValueOnAsync(string cluster, string ns, string name)
    {
        using var member = fleet.Member(cluster);
        try { return (await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data?["value"]; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    private static JsonObject Spec(string source, string path, JsonObject placement, JsonArray? overrides = null)
    {
        var spec = new JsonObject { ["sourceRef"] = new JsonObject { ["name"] = source }, ["path"] = path, ["placement"] = placement };
        if (overrides is not null) spec["overrides"] = overrides;
        return spec;
    }

    private Task BundleAsync(HubObjects hub, string ns, string name, JsonObject spec) => hub.ApplyAsync(BundleResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = spec,
    });

    [Fact]
    public async Task A_NoSelect_tainted_cluster_gets_only_tolerating_bundles_and_every_cluster_left_out_has_its_reason()
    {
        const string ns = "placement-taint";
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        // A second registration of member-3's API server, tainted from the start: no bundle of other tests lands there.
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "pci-1", "--context", "member-3", "--label", "placement-it=pci", "--taint", "compliance=pci:NoSelect");
        Assert.True(join.ExitCode == 0, join.ToString());
        try
        {
            await Eventually.WaitAsync(async () => (await new ClusterRegistry(fleet.Hub).GetAsync("pci-1", CancellationToken.None))?.Status?.Conditions?
                .Any(c => c.Type == "Available" && c.Status == "True") == true, Converge, "pci-1 Available");
            var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
            var revision = repo.Commit(new Dictionary<string, string>
            {
                ["ordinary/cm.yaml"] = ConfigMap(ns, "ordinary", "x"),
                ["pci/cm.yaml"] = ConfigMap(ns, "card-data", "y"),
            });
            await hub.SourceAsync("repo", repo.Url);
            var selectPci = new JsonObject { ["matchLabels"] = new JsonObject { ["placement-it"] = "pci" } };
            await BundleAsync(hub, ns, "ordinary", Spec("repo", "ordinary", new JsonObject { ["clusterSelector"] = selectPci.DeepClone() }));
            await BundleAsync(hub, ns, "pci-app", Spec("repo", "pci", new JsonObject
            {
                ["clusterSelector"] = selectPci.DeepClone(),
                ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "compliance", ["operator"] = "Equal", ["value"] = "pci", ["effect"] = "NoSelect" }),
            }));
            // member-3's namespace is created by the test: the bundles only write ConfigMaps into it.
            using (var member3 = fleet.Member("member-3"))
            {
                try { await member3.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } }); }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
            }

            await Eventually.WaitAsync(() => hub.SyncedAsync("pci-app", revision, ["pci-1"]), Converge, "pci-app Synced on pci-1",
                async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("pci-app")).Status));
            Assert.Equal("y", await ValueOnAsync("member-3", ns, "card-data"));

            // Its status is written on its own pace: wait until it carries the decision about pci-1.
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("ordinary")).Status?.Placement?.Reasons?.Any(r => r.Cluster == "pci-1") == true,
                Converge, "ordinary's placement decision in status", async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("ordinary")).Status));
            var ordinary = (await hub.BundleStatusAsync("ordinary")).Status!;
            Assert.Empty(ordinary.Placement!.Selected);
            Assert.Contains(ordinary.Placement.Reasons!, r => r.Cluster == "pci-1" && r.Reason == "taint compliance=pci:NoSelect not tolerated");
            Assert.Contains(ordinary.Placement.Reasons!, r => r.Cluster == "member-1" && r.Reason.StartsWith("label selector", StringComparison.Ordinal));
            Assert.Empty(ordinary.Clusters ?? []);
            Assert.Null(await ValueOnAsync("member-3", ns, "ordinary"));

            var explain = await CliRunner.RunAsync(fleet.Env, "placement", "explain", "ordinary", "-n", ns);
            Assert.True(explain.ExitCode == 0, explain.ToString());
            Assert.Contains("0 of", explain.Stdout);
            Assert.Matches(@"pci-1\s+no\s+-\s+taint compliance=pci:NoSelect not tolerated", explain.Stdout);
            var one = await CliRunner.RunAsync(fleet.Env, "placement", "explain", "pci-app", "-n", ns, "--cluster", "pci-1");
            Assert.True(one.ExitCode == 0, one.ToString());
            Assert.Matches(@"pci-1\s+yes\s+\d+", one.Stdout);
            Assert.DoesNotContain("member-1", one.Stdout);
        }
        finally
        {
            await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "pci-1", "--orphan");
        }
    }

    [Fact]
    public async Task Overrides_give_each_region_its_own_values_and_a_rule_that_does_not_apply_fails_only_its_cluster()
    {
        const string ns = "placement-overrides";
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var revision = repo.Commit(new Dictionary<string, string>
        {
            ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n",
            ["app/registry.yaml"] = ConfigMap(ns, "registry", "registry.example.com"),
            ["app/who.yaml"] = ConfigMap(ns, "who", "${cluster.name} in ${cluster.labels['region']}", substitute: true),
        });
        await hub.SourceAsync("repo", repo.Url);
        var members = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "region", ["operator"] = "Exists" }) };
        JsonObject Rule(string name, int priority, string region, JsonNode change, string changeField) => new()
        {
            ["name"] = name, ["priority"] = priority,
            ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["region"] = region } },
            ["targets"] = new JsonArray(new JsonObject { ["kind"] = "ConfigMap", ["name"] = "registry" }),
            [changeField] = change,
        };
        await BundleAsync(hub, ns, "app", Spec("repo", "app", new JsonObject { ["clusterSelector"] = members }, new JsonArray(
            Rule("eu-registry", 10, "eu-west", new JsonObject { ["data"] = new JsonObject { ["value"] = "eu.registry.example.com" } }, "mergePatch"),
            Rule("us-registry", 10, "us-east", new JsonObject { ["data"] = new JsonObject { ["value"] = "us.registry.example.com" } }, "mergePatch"),
            // A later (higher priority) rule on the same cluster wins.
            Rule("us-mirror", 20, "us-east", new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/data/value", ["value"] = "mirror.us.example.com" }), "jsonPatch"),
            // A path that does not exist: ap-south only fails; the others proceed.
            Rule("ap-broken", 10, "ap-south", new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/data/missing", ["value"] = "x" }), "jsonPatch"))));

        await Eventually.WaitAsync(() => hub.SyncedAsync("app", revision, ["member-1", "member-2"]), Converge, "app Synced on member-1 and member-2",
            async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("app")).Status));
        Assert.Equal("eu.registry.example.com", await ValueOnAsync("member-1", ns, "registry"));
        Assert.Equal("mirror.us.example.com", await ValueOnAsync("member-2", ns, "registry"));
        Assert.Equal("member-1 in eu-west", await ValueOnAsync("member-1", ns, "who"));
        Assert.Equal("member-2 in us-east", await ValueOnAsync("member-2", ns, "who"));

        var status = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal(["us-registry", "us-mirror"], status.Clusters!.Single(c => c.Name == "member-2").AppliedOverrides);
        var failed = status.Clusters!.Single(c => c.Name == "member-3");
        Assert.Equal("Failed", failed.Phase);
        Assert.Contains("ap-broken", failed.Error);
        Assert.Contains("/data/missing", failed.Error);
        Assert.Null(await ValueOnAsync("member-3", ns, "registry"));
    }
}
