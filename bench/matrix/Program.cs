// bench/matrix: the hub's bundle x cluster matrix endpoint's work (MatrixBuilder + JSON, as /api/v1/matrix answers) at
// 1,000 clusters x 100 bundles held in memory, per query shape: p50 and p95 over many requests, against a naive
// baseline (a status-list scan per cell, every row sent) measured in the same run. With --render: the matrix page's
// first render in chromium instead (RenderBenchmark).
using System.Diagnostics;
using System.Globalization;
using Flotilla.Bench.Matrix;
using Flotilla.Core.Clusters;
using Flotilla.Hub.Api;
using k8s;

var clusterCount = Arg("--clusters", 1000);
var bundleCount = Arg("--bundles", 100);
var requests = Arg("--requests", 200);
const double Target = 100;

var view = SyntheticFleet.Generate(clusterCount, bundleCount);
if (args.Contains("--render"))
{
    await RenderBenchmark.RunAsync(view, Arg("--loads", 40));
    return;
}

Console.WriteLine($"bench/matrix: {clusterCount} clusters x {bundleCount} bundles in memory; {requests} requests per shape after 20 warm-up requests");

var shapes = new (string Name, MatrixQuery Query)[]
{
    ("page 1 of 50 rows, no filter", new(LabelSelector.Everything, null, null, null, 1, 50)),
    ("page 10 of 50 rows, grouped by region", new(LabelSelector.Everything, null, "region", null, 10, 50)),
    ("selector region=eu-west,env=prod", new(LabelSelector.Parse("region=eu-west,env=prod"), null, null, null, 1, 50)),
    ("status=Failed", new(LabelSelector.Everything, MatrixStatusFilter.Failed, null, null, 1, 50)),
    ("namespace=apps (50 bundles), 200 rows", new(LabelSelector.Everything, null, null, "apps", 1, 200)),
};
var ours = new List<double>();
foreach (var (name, query) in shapes)
{
    var (p50, p95, bytes) = Measure(requests, () => KubernetesJson.Serialize(MatrixBuilder.Build(view.Clusters, view.Bundles, query)));
    ours.Add(p95);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-42} p50 {p50,7:F2} ms  p95 {p95,7:F2} ms  {bytes / 1024.0,8:F0} KiB   target p95 < {Target:F0} ms: {(p95 < Target ? "met" : "MISSED")}"));
}
var naiveRequests = Math.Max(5, requests / 20);
var (naive50, naive95, naiveBytes) = Measure(naiveRequests, () => KubernetesJson.Serialize(NaiveMatrix.Build(view.Clusters, view.Bundles)));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"baseline: naive, every row, scan per cell",-42} p50 {naive50,7:F2} ms  p95 {naive95,7:F2} ms  {naiveBytes / 1024.0,8:F0} KiB   ({naiveRequests} requests)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ratio baseline p95 / worst MatrixBuilder p95: {naive95 / ours.Max():F1}x"));

static (double P50, double P95, long Bytes) Measure(int count, Func<string> request)
{
    for (var i = 0; i < 20; i++) request();
    var times = new double[count];
    long bytes = 0;
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        bytes = request().Length;
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return (times[count / 2], times[(int)Math.Ceiling(count * 0.95) - 1], bytes);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
