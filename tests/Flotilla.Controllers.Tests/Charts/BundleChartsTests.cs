using System.Text.Json.Nodes;
using Flotilla.Controllers.Charts;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Render;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Charts;

/// <summary>
/// The hub's chart path with the real pinned helm and a small chart: helm runs once per distinct input, clusters with
/// equal inputs share one outcome, and a cluster whose values or discovery fail fails alone. Under a rollout each cluster
/// gets the chart of its planned revision, still rendered once per distinct (revision, inputs).
/// </summary>
public sealed class BundleChartsTests
{
    private static readonly ClusterCapabilities Modern = new("v1.20.2", ["apps/v1", "v1"]) { Fingerprint = "a" };

    private static string Chart(string edition = "one")
    {
        var root = Directory.CreateTempSubdirectory("flotilla-bundle-charts-").FullName;
        Directory.CreateDirectory(Path.Join(root, "web", "templates"));
        File.WriteAllText(Path.Join(root, "web", "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        File.WriteAllText(Path.Join(root, "web", "templates", "cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {registry: {{ .Values.registry | quote }}, kube: {{ .Capabilities.KubeVersion.Version | quote }}, edition: " + edition + "}\n");
        return root;
    }

    private static ClusterResource Cluster(string name, string? region, string version = "v1.20.2") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = region is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["region"] = region } },
        Status = new ClusterStatus { KubernetesVersion = version },
    };

    private static BundleResource Bundle() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "apps" },
        Spec = new BundleSpec { Path = "web", Helm = new BundleHelm { Values = JsonNode.Parse("""{"registry":"registry.${cluster.labels['region']}.example"}""")!.AsObject() } },
    };

    [Fact]
    public async Task Helm_runs_once_per_distinct_input_and_equal_clusters_share_the_outcome()
    {
        var renderer = new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default);
        var renders = new ChartRenders(renderer);
        var capabilities = new CapabilityCache(
            (c, _) => Task.FromResult(c.Metadata.Name == "old" ? new ClusterCapabilities("v1.19.4", ["v1"]) : Modern),
            (_, _) => Task.FromResult("a"), new FakeTimeProvider());
        var charts = new BundleCharts(renderer, renders, capabilities);
        var clusters = Enumerable.Range(0, 12).Select(i => Cluster($"c{i}", i % 2 == 0 ? "eu" : "us")).Append(Cluster("old", "eu")).Append(Cluster("nolabel", null)).ToList();

        var (outcomes, problem) = await charts.RenderAsync(Bundle(), new SourceArtifact("rev1", Chart(), DateTimeOffset.UtcNow), "web", clusters, CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(3, renders.Renders); // eu, us, and eu on the older Kubernetes
        Assert.Same(outcomes!["c0"], outcomes["c2"]);
        Assert.NotSame(outcomes["c0"], outcomes["c1"]);
        Assert.Equal("registry.us.example", outcomes["c1"].Manifests!.Manifests[0].Object["data"]!["registry"]!.GetValue<string>());
        Assert.Equal("v1.19.4", outcomes["old"].Manifests!.Manifests[0].Object["data"]!["kube"]!.GetValue<string>());
        Assert.Null(outcomes["nolabel"].Manifests);
        Assert.Contains("the cluster has no label \"region\"", outcomes["nolabel"].Error);
    }

    [Fact]
    public async Task A_cluster_whose_discovery_fails_fails_alone()
    {
        var renderer = new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default);
        var capabilities = new CapabilityCache(
            (c, _) => c.Metadata.Name == "down" ? Task.FromException<ClusterCapabilities>(new HttpRequestException("connection refused")) : Task.FromResult(Modern),
            (_, _) => Task.FromResult("a"), new FakeTimeProvider());
        var charts = new BundleCharts(renderer, new ChartRenders(renderer), capabilities);

        var (outcomes, _) = await charts.RenderAsync(Bundle(), new SourceArtifact("rev1", Chart(), DateTimeOffset.UtcNow), "web", [Cluster("up", "eu"), Cluster("down", "eu")], CancellationToken.None);

        Assert.NotNull(outcomes!["up"].Manifests);
        Assert.Equal("the chart needs the cluster's API versions, and discovery failed: connection refused", outcomes["down"].Error);
    }

    [Fact]
    public async Task A_values_file_that_is_missing_is_a_problem_of_the_bundle()
    {
        var renderer = new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default);
        var charts = new BundleCharts(renderer, new ChartRenders(renderer), new CapabilityCache((_, _) => Task.FromResult(Modern), (_, _) => Task.FromResult("a"), new FakeTimeProvider()));
        var bundle = Bundle();
        bundle.Spec.Helm!.ValuesFiles = ["values/missing.yaml"];

        var (outcomes, problem) = await charts.RenderAsync(bundle, new SourceArtifact("rev1", Chart(), DateTimeOffset.UtcNow), "web", [Cluster("a", "eu")], CancellationToken.None);

        Assert.Null(outcomes);
        Assert.Equal("RenderFailed", problem!.Reason);
        Assert.Contains("values/missing.yaml: values file does not exist", problem.Message);
    }

    private static string Data(ChartOutcome outcome, string key) => outcome.Manifests!.Manifests[0].Object["data"]![key]!.GetValue<string>();

    private static BundleCharts Charts(ChartRenders renders) => new(new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default), renders,
        new CapabilityCache((_, _) => Task.FromResult(Modern), (_, _) => Task.FromResult("a"), new FakeTimeProvider()));

    [Fact]
    public async Task Under_a_rollout_each_cluster_gets_the_chart_of_its_planned_revision_with_its_own_values_rendered_once_per_revision_and_inputs()
    {
        var renders = new ChartRenders(new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default));
        var current = new ChartSource(new SourceArtifact("rev2", Chart("two"), DateTimeOffset.UtcNow), "web");
        var older = new ChartSource(new SourceArtifact("rev1", Chart("one"), DateTimeOffset.UtcNow), "web");
        var asked = new List<string>();
        ChartSource? Older(string revision)
        {
            asked.Add(revision);
            return revision == "rev1" ? older : null;
        }
        (ClusterResource, string)[] planned =
        [
            (Cluster("dev", "eu"), "rev2"), (Cluster("prod-eu-1", "eu"), "rev1"), (Cluster("prod-eu-2", "eu"), "rev1"),
            (Cluster("prod-us", "us"), "rev1"), (Cluster("stale", "eu"), "rev0"),
        ];

        var (outcomes, heldBack, problem) = await Charts(renders).RenderPlannedAsync(Bundle(), current, planned, Older, CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(3, renders.Renders); // rev2 for eu; rev1 for eu and for us
        Assert.Equal(["rev0", "rev1"], asked.Order(StringComparer.Ordinal));
        Assert.Equal("two", Data(outcomes!["dev"], "edition"));
        Assert.Equal("one", Data(outcomes["prod-eu-1"], "edition"));
        Assert.Same(outcomes["prod-eu-1"], outcomes["prod-eu-2"]);
        Assert.Equal("registry.us.example", Data(outcomes["prod-us"], "registry"));
        Assert.Equal("one", Data(outcomes["prod-us"], "edition"));
        Assert.NotEqual(outcomes["dev"].RenderKey, outcomes["prod-eu-1"].RenderKey);
        // Its revision's snapshot is gone: held back, nothing rendered for it.
        Assert.False(outcomes.ContainsKey("stale"));
        Assert.Equal("revision rev0 is not available any more (its snapshot or cached chart is gone); kept as applied", Assert.Single(heldBack).Value);
    }

    [Fact]
    public async Task Under_a_rollout_a_problem_of_the_current_revision_stops_the_bundle_even_before_any_cluster_has_it_and_an_older_one_holds_its_clusters_back()
    {
        var bundle = Bundle();
        bundle.Spec.Helm!.ValuesFiles = ["values/common.yaml"];
        string WithValues(string edition)
        {
            var root = Chart(edition);
            Directory.CreateDirectory(Path.Join(root, "values"));
            File.WriteAllText(Path.Join(root, "values", "common.yaml"), "replicas: 1\n");
            return root;
        }
        var broken = new ChartSource(new SourceArtifact("rev3", Chart("three"), DateTimeOffset.UtcNow), "web"); // no values file
        var good = new ChartSource(new SourceArtifact("rev2", WithValues("two"), DateTimeOffset.UtcNow), "web");
        var oldBroken = new ChartSource(new SourceArtifact("rev1", Chart("one"), DateTimeOffset.UtcNow), "web");
        ChartSource? Older(string revision) => revision switch { "rev2" => good, "rev1" => oldBroken, _ => null };

        // The plan has not given rev3 to anyone yet (its first stage waits for an approval): the bundle still stalls on it.
        var (outcomes, _, problem) = await Charts(new ChartRenders(new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default)))
            .RenderPlannedAsync(bundle, broken, [(Cluster("dev", "eu"), "rev2")], Older, CancellationToken.None);
        Assert.Null(outcomes);
        Assert.Equal("RenderFailed", problem!.Reason);
        Assert.Contains("values/common.yaml", problem.Message);

        // With a good current revision, the clusters still on an older revision that cannot read its values are held back.
        var (rendered, heldBack, none) = await Charts(new ChartRenders(new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default)))
            .RenderPlannedAsync(bundle, good, [(Cluster("dev", "eu"), "rev2"), (Cluster("prod", "eu"), "rev1")], Older, CancellationToken.None);
        Assert.Null(none);
        Assert.Equal("two", Data(rendered!["dev"], "edition"));
        Assert.StartsWith("revision rev1 does not render: spec.helm.valuesFiles: values/common.yaml", heldBack["prod"]);
    }
}
