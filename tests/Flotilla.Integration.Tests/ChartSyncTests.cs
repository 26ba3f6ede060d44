using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Models;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Helm charts in Git synced by the hub (with the pinned helm of scripts/install-tools.sh) to two real members: the real
/// nginx chart (vendored common dependency) with per-region values from cluster variables and clusterValues, the real
/// grafana chart (.Capabilities.APIVersions; its test hooks dropped), a chart whose output depends on an API only one
/// member serves (discovered per cluster), and a chart that fails on the one cluster whose override sets the value it
/// checks — that cluster alone fails, with the chart's own message, and the other syncs.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ChartSyncTests(FleetFixture fleet)
{
    private const string Ns = "charts";
    private const string RegionLabel = "chart-test-region";
    private static readonly string[] Placed = ["member-1", "member-2"];

    private static string TestCharts => Path.Combine(ToolRunner.RepositoryRoot, "tests", "testdata", "charts");

    private static Dictionary<string, string> RepositoryFiles()
    {
        var files = new Dictionary<string, string>();
        foreach (var chart in new[] { "nginx", "grafana" })
        {
            var root = Path.Combine(TestCharts, chart);
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                files[$"charts/{chart}/{Path.GetRelativePath(root, file)}"] = File.ReadAllText(file);
        }
        files["charts/probe/Chart.yaml"] = "apiVersion: v2\nname: probe\nversion: 1.0.0\n";
        files["charts/probe/templates/cm.yaml"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: capabilities}
            data:
              widgets: {{ .Capabilities.APIVersions.Has "charttest.example.com/v1/Widget" | quote }}
              kube: {{ .Capabilities.KubeVersion.Version | quote }}
            """;
        files["charts/picky/Chart.yaml"] = "apiVersion: v2\nname: picky\nversion: 1.0.0\n";
        files["charts/picky/templates/cm.yaml"] = "{{ if .Values.mirrorless }}{{ fail \"this region has no registry mirror\" }}{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: picky}\n";
        files["values/nginx-common.yaml"] = "service:\n  type: ClusterIP\nreplicaCount: 1\n";
        return files;
    }

    private static JsonObject Bundle(string name, string path, string ns, JsonObject helm) => new()
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "charts" }, ["path"] = path, ["targetNamespace"] = ns,
            ["sync"] = new JsonObject { ["createNamespace"] = true, ["interval"] = "20s" },
            ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = RegionLabel, ["operator"] = "Exists" }) } },
            ["helm"] = helm,
        },
    };

    private static JsonObject EuOnly(JsonObject values) => new()
    {
        ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [RegionLabel] = "eu" } },
        ["values"] = values,
    };

    [Fact]
    public async Task Real_charts_sync_per_cluster_values_and_capabilities_and_a_failing_cluster_fails_alone()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, "repo-charts");
        var revision = repo.Commit(RepositoryFiles(), "real charts, unchanged, and two test charts");
        await hub.SourceAsync("charts", repo.Url);
        Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-1", $"{RegionLabel}=eu")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-2", $"{RegionLabel}=us")).ExitCode);
        using var member1 = fleet.Member("member-1");
        using var member2 = fleet.Member("member-2");
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.charttest.example.com}
            spec:
              group: charttest.example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
            """);
        await member1.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        try
        {
            await hub.ApplyAsync(BundleResource.Plural, Bundle("nginx", "charts/nginx", "chart-nginx", new JsonObject
            {
                ["valuesFiles"] = new JsonArray("values/nginx-common.yaml"),
                ["values"] = new JsonObject { ["image"] = new JsonObject { ["registry"] = $"registry.${{cluster.labels['{RegionLabel}']}}.example" } },
                ["clusterValues"] = new JsonArray(EuOnly(new JsonObject { ["replicaCount"] = 2 })),
            }));
            await hub.ApplyAsync(BundleResource.Plural, Bundle("grafana", "charts/grafana", "chart-grafana", new JsonObject
            {
                ["values"] = new JsonObject { ["adminPassword"] = "fixed-for-the-test", ["testFramework"] = new JsonObject { ["enabled"] = true } },
            }));
            await hub.ApplyAsync(BundleResource.Plural, Bundle("probe", "charts/probe", "chart-probe", new JsonObject()));
            await hub.ApplyAsync(BundleResource.Plural, Bundle("picky", "charts/picky", "chart-picky", new JsonObject
            {
                ["clusterValues"] = new JsonArray(EuOnly(new JsonObject { ["mirrorless"] = true })),
            }));

            foreach (var name in new[] { "nginx", "grafana", "probe" })
                await Eventually.WaitAsync(() => hub.SyncedAsync(name, revision, Placed), TimeSpan.FromSeconds(180), $"{name} synced",
                    async () => KubernetesJson.Serialize((await hub.BundleStatusAsync(name)).Status));

            // nginx: each region its registry (a cluster variable), eu its replica count (clusterValues).
            var eu = await member1.AppsV1.ReadNamespacedDeploymentAsync("nginx", "chart-nginx");
            var us = await member2.AppsV1.ReadNamespacedDeploymentAsync("nginx", "chart-nginx");
            Assert.StartsWith("registry.eu.example/", eu.Spec.Template.Spec.Containers[0].Image);
            Assert.StartsWith("registry.us.example/", us.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal(2, eu.Spec.Replicas);
            Assert.Equal(1, us.Spec.Replicas);

            // grafana: its objects are there (the test's ConfigMap too: it is no hook), its test hook Pod is not.
            await member1.AppsV1.ReadNamespacedDeploymentAsync("grafana", "chart-grafana");
            await member1.CoreV1.ReadNamespacedConfigMapAsync("grafana-test", "chart-grafana");
            await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => member1.CoreV1.ReadNamespacedPodAsync("grafana-test", "chart-grafana"));

            // diff and plan render the chart for each cluster as the hub does: nothing would change.
            var diff = await CliRunner.RunAsync(fleet.Env, "diff", "bundle", "nginx", "-n", Ns, "--cluster", "member-1");
            Assert.True(diff.ExitCode == 0, diff.Stdout + diff.Stderr);
            var plan = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "--bundle", "nginx", "-o", "json");
            Assert.True(plan.ExitCode == 0, plan.Stdout + plan.Stderr);
            var planned = JsonNode.Parse(plan.Stdout)!;
            Assert.Equal(revision, planned["bundles"]![0]!["revision"]!.GetValue<string>());

            // probe: the API only member-1 serves was discovered there, and only there.
            // (Discovery is re-checked every 30 s: a hub that saw member-1 before the CRD existed picks it up then.)
            await Eventually.WaitAsync(async () => (await member1.CoreV1.ReadNamespacedConfigMapAsync("capabilities", "chart-probe")).Data["widgets"] == "true",
                TimeSpan.FromSeconds(120), "member-1's chart saw the Widget API");
            var seen2 = await member2.CoreV1.ReadNamespacedConfigMapAsync("capabilities", "chart-probe");
            Assert.Equal("false", seen2.Data["widgets"]);
            Assert.StartsWith("v1.20", seen2.Data["kube"]);

            // picky: the eu override makes it fail on member-1 only, with the chart's own text; member-2 syncs.
            await Eventually.WaitAsync(async () =>
                (await hub.BundleStatusAsync("picky")).Status?.Clusters?.FirstOrDefault(c => c.Name == "member-1") is { Phase: "Failed" } failed
                && failed.Error!.Contains("this region has no registry mirror", StringComparison.Ordinal)
                && await hub.SyncedAsync("picky", revision, ["member-2"]),
                TimeSpan.FromSeconds(120), "picky failed on member-1 only", async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("picky")).Status));
            await member2.CoreV1.ReadNamespacedConfigMapAsync("picky", "chart-picky");
            var pickyPlan = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "--bundle", "picky", "-o", "json");
            var pickyClusters = JsonNode.Parse(pickyPlan.Stdout)!["bundles"]![0]!["clusters"]!.AsArray();
            Assert.Contains("this region has no registry mirror", pickyClusters.Single(c => c!["name"]!.GetValue<string>() == "member-1")!["error"]!.GetValue<string>());
            Assert.Null(pickyClusters.Single(c => c!["name"]!.GetValue<string>() == "member-2")!["error"]);
            await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => member1.CoreV1.ReadNamespacedConfigMapAsync("picky", "chart-picky"));
        }
        finally
        {
            foreach (var name in new[] { "nginx", "grafana", "probe", "picky" })
            {
                try { await hub.DeleteBundleAsync(name); }
                catch (k8s.Autorest.HttpOperationException) { } // never created: the test failed before
            }
            await Eventually.WaitAsync(async () => (await Task.WhenAll(new[] { "nginx", "grafana", "probe", "picky" }.Select(hub.FindBundleAsync))).All(b => b is null),
                TimeSpan.FromSeconds(120), "chart bundles deleted");
            await member1.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.charttest.example.com");
            foreach (var m in Placed) await CliRunner.RunAsync(fleet.Env, "cluster", "label", m, $"{RegionLabel}-");
        }
    }
}
