// bench/mcs: how long the hub's multi-cluster services planning takes after one endpoint change, with M members x S
// exported services (each exported by E members, one EndpointSlice each), all converged. The hub re-plans only the
// service whose slice changed (its work item is one service); the baseline re-plans every service of the set, as a
// controller keyed by the whole set would. Target: one change re-planned in under 10 ms.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;

var members = Arg(0, 50);
var services = Arg(1, 2000);
var exporters = Arg(2, 3);
var runs = Arg(3, 7);
const double Target = 10;
const string Set = "bench", SliceVersion = "discovery.k8s.io/v1";
var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var clusters = Enumerable.Range(1, members).Select(i => $"member-{i:000}").ToArray();
var published = new Dictionary<string, bool>();

JsonObject Slice(int service, string cluster, int generation) => new()
{
    ["apiVersion"] = SliceVersion, ["kind"] = "EndpointSlice",
    ["metadata"] = new JsonObject { ["name"] = $"svc-{service}-abcde", ["namespace"] = "bench" },
    ["addressType"] = "IPv4",
    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
    ["endpoints"] = new JsonArray([.. Enumerable.Range(0, 3 + generation).Select(e => (JsonNode)new JsonObject
    {
        ["addresses"] = new JsonArray($"10.{service % 250}.{Array.IndexOf(clusters, cluster) % 250}.{e}"), ["conditions"] = new JsonObject { ["ready"] = true },
    })]),
};

bool Exports(int service, int member) => (service + member) % members < exporters;

List<MemberServiceView> Views(int service, Func<int, string, JsonObject> slice, IReadOnlyDictionary<string, MemberChanges>? written)
{
    var key = new ServiceKey("bench", $"svc-{service}");
    return [.. clusters.Select((cluster, m) =>
    {
        var exports = Exports(service, m);
        var change = written?.GetValueOrDefault(cluster);
        return new MemberServiceView(cluster, true, true, SliceVersion,
            exports ? new ExportObservation(t0.AddSeconds(m), 1, []) : null,
            exports ? new ServiceObservation("ClusterIP", "10.96.0.1", [new ServicePort("http", "TCP", 80, null)], "None", ["IPv4"]) : null,
            exports ? [slice(service, cluster)] : [],
            change?.ApplyImport is { } import ? new WrittenObject(key.Name, null, ImportedObjects.HashOf(import)) : null, false,
            [.. (change?.ApplyCopies ?? []).Select(c => new WrittenObject(c["metadata"]!["name"]!.GetValue<string>(),
                c["metadata"]!["labels"]![McsNames.SourceClusterLabel]!.GetValue<string>(), ImportedObjects.HashOf(c)))]);
    })];
}

// Converge: plan every service once and take what it writes as written (export conditions too).
var clock = Stopwatch.StartNew();
var converged = new List<MemberServiceView>[services];
for (var s = 0; s < services; s++)
{
    var key = new ServiceKey("bench", $"svc-{s}");
    var first = ServicePlanner.Plan(Set, key, Views(s, (i, c) => Slice(i, c, 0), null), published);
    var views = Views(s, (i, c) => Slice(i, c, 0), first.Changes.ToDictionary(c => c.Cluster));
    converged[s] = [.. views.Select(v => v.Export is null ? v : v with { Export = v.Export with { Conditions = first.Exports.Single(e => e.Cluster == v.Cluster).Conditions } })];
}
var copies = converged.Sum(v => v.Sum(m => m.Copies.Length));
Console.WriteLine($"bench/mcs: {members} members x {services} services, {exporters} exporters each ({copies} slice copies in the members), converged in {clock.Elapsed.TotalSeconds:0.0}s; median of {runs} runs");

var check = ServicePlanner.Plan(Set, new ServiceKey("bench", "svc-0"), converged[0], published);
if (!check.IsEmpty) throw new InvalidOperationException("the converged state is not converged: the benchmark would measure writes");

// One endpoint added to service 0's slice in its first exporting member.
var changedMember = clusters[Enumerable.Range(0, members).First(m => Exports(0, m))];
var changed = converged[0].Select(v => v.Cluster == changedMember ? v with { Slices = [Slice(0, changedMember, 1)] } : v).ToList();
var one = ServicePlanner.Plan(Set, new ServiceKey("bench", "svc-0"), changed, published);
var writes = one.Changes.Sum(c => c.ApplyCopies.Length);
if (writes != members) throw new InvalidOperationException($"expected one copy to write per member, got {writes}");

var hubWay = Median(() => ServicePlanner.Plan(Set, new ServiceKey("bench", "svc-0"), changed, published));
var baseline = Median(() =>
{
    ServicePlanner.Plan(Set, new ServiceKey("bench", "svc-0"), changed, published);
    for (var s = 1; s < services; s++) ServicePlanner.Plan(Set, new ServiceKey("bench", $"svc-{s}"), converged[s], published);
});
Console.WriteLine($"one endpoint change, the hub's way (re-plan that service: {writes} copies to write)   {hubWay,9:0.000} ms   target < {Target} ms: {(hubWay < Target ? "met" : "MISSED")}");
Console.WriteLine($"baseline: re-plan every service of the set                                   {baseline,9:0.000} ms");
Console.WriteLine($"ratio baseline / hub's way: {baseline / hubWay:0}x");

double Median(Action action)
{
    action(); // warm-up
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    return times.Order().ElementAt(times.Count / 2);
}

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;
