using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Charts;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Charts;
using Flotilla.Git.Render;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using k8s.Models;

// One chart for N clusters whose labels give S distinct value sets. "shared" is the hub's path (BundleCharts: values
// resolved and keyed per cluster, helm once per distinct key); "per cluster" is the baseline, helm once for every
// cluster with that cluster's values. Both run helm with the same parallelism, so the ratio is what sharing saves.
var arguments = args.Chunk(2).ToDictionary(p => p[0], p => p[1]);
var clusters = int.Parse(arguments.GetValueOrDefault("--clusters", "200"));
var sets = int.Parse(arguments.GetValueOrDefault("--sets", "4"));
var runs = int.Parse(arguments.GetValueOrDefault("--runs", "3"));
var charts = Path.GetFullPath(arguments.GetValueOrDefault("--charts", "../../tests/testdata/charts"));
const int Parallelism = 8;

var fleet = Enumerable.Range(0, clusters).Select(i => new ClusterResource
{
    Metadata = new V1ObjectMeta { Name = $"cluster-{i:D4}", Labels = new Dictionary<string, string> { ["region"] = $"region-{i % sets}" } },
    Status = new ClusterStatus { KubernetesVersion = "v1.20.2" },
}).ToList();
var capabilities = new ClusterCapabilities("v1.20.2", ["apps/v1", "apps/v1/Deployment", "v1", "v1/ConfigMap", "v1/Service"]);
var bundle = new BundleResource
{
    Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "bench" },
    Spec = new BundleSpec
    {
        Path = "nginx", TargetNamespace = "web",
        Helm = new BundleHelm { Values = JsonNode.Parse("""{"image":{"registry":"registry.${cluster.labels['region']}.example"}}""")!.AsObject() },
    },
};
var renderer = new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default);
Console.WriteLine($"helm {renderer.Options.ExecutablePath}; chart nginx 9.3.6 (vendored common); {clusters} clusters, {sets} distinct value sets, parallelism {Parallelism}, best of {runs}");

var shared = new List<(TimeSpan Time, long Renders)>();
var perCluster = new List<TimeSpan>();
for (var run = 0; run < runs; run++)
{
    // A fresh cache per run: every run starts with nothing rendered, as a new revision does.
    var renders = new ChartRenders(renderer);
    var bundleCharts = new BundleCharts(renderer, renders, new CapabilityCache((_, _) => Task.FromResult(capabilities), (_, _) => Task.FromResult(""), TimeProvider.System), Parallelism);
    var clock = Stopwatch.StartNew();
    var (outcomes, problem) = await bundleCharts.RenderAsync(bundle, new SourceArtifact($"rev-{run}", charts, DateTimeOffset.UtcNow), bundle.Spec.Path, fleet, CancellationToken.None);
    clock.Stop();
    if (problem is not null || outcomes!.Values.Any(o => o.Manifests is null)) throw new InvalidOperationException(problem?.Message ?? outcomes!.Values.First(o => o.Manifests is null).Error);
    shared.Add((clock.Elapsed, renders.Renders));

    var plan = ChartValuesPlan.Prepare([], bundle.Spec.Helm.Values, [], out _);
    clock.Restart();
    await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (cluster, ct) =>
    {
        var values = plan.Resolve(Flotilla.Controllers.Bundles.PlacementMapping.OverrideCluster(cluster)).Json!;
        var result = await renderer.RenderAsync(charts, new ChartRenderRequest("nginx", "web", "web", values, capabilities.KubeVersion, capabilities.ApiVersions), ct);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors));
    });
    clock.Stop();
    perCluster.Add(clock.Elapsed);
    Console.WriteLine($"run {run + 1}: shared {shared[^1].Time.TotalSeconds:0.00}s ({shared[^1].Renders} helm runs), per cluster {perCluster[^1].TotalSeconds:0.00}s ({clusters} helm runs)");
}

var best = shared.MinBy(s => s.Time);
var baseline = perCluster.Min();
Console.WriteLine();
Console.WriteLine("| case | helm runs | time (best) | per cluster |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| shared: once per distinct input ({sets} value sets) | {best.Renders} | {best.Time.TotalSeconds:0.00} s | {best.Time.TotalMilliseconds / clusters:0.0} ms |");
Console.WriteLine($"| baseline: once per cluster | {clusters} | {baseline.TotalSeconds:0.00} s | {baseline.TotalMilliseconds / clusters:0.0} ms |");
Console.WriteLine($"ratio baseline/shared: {baseline / best.Time:0.0}x (ideal {clusters / (double)sets:0}x: {clusters} renders vs {sets})");
Console.WriteLine($"shared vs {sets} renders' time ({sets} x {baseline.TotalMilliseconds / clusters:0.0} ms = {baseline.TotalMilliseconds / clusters * sets:0} ms): {best.Time.TotalMilliseconds / (baseline.TotalMilliseconds / clusters * sets):0.00}x");
