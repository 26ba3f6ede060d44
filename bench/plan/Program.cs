// bench/plan: how long the hub's pure planning takes for a large fleet (no API servers): a full plan of every bundle
// (placement, overrides, rollout) and the re-plan after one cluster changes: every bundle decided in full, through
// PlacementSnapshot.Redecide told the changed cluster, and the hub's way (PlacementMemo finding the changed clusters itself from the inputs the hub builds).
using Flotilla.Bench.Plan;
using Flotilla.Core.Placement;

var clusterCount = Arg("--clusters", 5000);
var bundleCount = Arg("--bundles", 200);
var runs = Arg("--runs", 7);
const double FullPlanTarget = 1000, ChangeTarget = 50;

var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
var fleet = SimulatedFleet.Generate(clusterCount, now);
var bundles = SimulatedBundle.Generate(bundleCount);
var planner = new FleetPlanner(bundles, now);
// Two plans settle the fleet: each bundle's current clusters and the bundle counts are then the previous plan's.
planner.Settle(planner.PlanAll(fleet));
planner.Settle(planner.PlanAll(fleet));
var steady = planner.PlanAll(fleet);
var placed = steady.Sum(p => p.Placement.Decision.Selected.Length);
Console.WriteLine($"bench/plan: {clusterCount} clusters x {bundleCount} bundles ({placed} placements, {bundles.Sum(b => b.Manifests.Count)} manifests), median of {runs} runs after a warm-up");

Console.WriteLine(Measurement.Of("full plan: placement + overrides + rollout, every bundle", runs, _ => () => planner.PlanAll(fleet)).Line(FullPlanTarget));
Console.WriteLine(Measurement.Of("  of which placement (PlacementEngine.Decide)", runs, _ => () =>
{
    for (var b = 0; b < bundles.Length; b++) PlacementEngine.Decide(bundles[b].Placement, new PlacementInput(fleet.Facts, now) { BundleCounts = planner.OtherCounts[b] });
}).Line(null));

var changes = new (string Name, Func<Flotilla.Core.Placement.ClusterFacts, Flotilla.Core.Placement.ClusterFacts> Change)[]
{
    ("one cluster relabelled into another region", c => c with
    {
        Labels = new Dictionary<string, string>(c.Labels, StringComparer.Ordinal)
        {
            ["region"] = SimulatedFleet.Regions[(Array.IndexOf(SimulatedFleet.Regions, c.Labels["region"]) + 1) % SimulatedFleet.Regions.Length],
        },
    }),
    ("one cluster becomes unavailable", c => c with { UnavailableSince = c.UnavailableSince ?? now }),
};
foreach (var (name, change) in changes)
{
    var random = new Random(name.Length);
    (SimulatedFleet Fleet, string Cluster) Changed(int _)
    {
        var cluster = change(fleet.Facts[random.Next(fleet.Facts.Length)]);
        return (fleet.With(cluster, now), cluster.Name);
    }
    Console.WriteLine($"{name}:");
    foreach (var incremental in new[] { false, true })
        Console.WriteLine(Measurement.Of(incremental ? "  re-plan through PlacementSnapshot.Redecide" : "  re-plan, every bundle re-decided in full", runs, run =>
        {
            var (changedFleet, cluster) = Changed(run);
            return () => planner.Replan(steady, changedFleet, cluster, incremental);
        }).Line(ChangeTarget));
    Console.WriteLine(Measurement.Of("  re-plan the hub's way (PlacementMemo, the hub's inputs)", runs, run =>
    {
        var memo = planner.PrimedMemo(fleet);
        var (changedFleet, cluster) = Changed(run);
        return () => planner.ReplanLikeTheHub(steady, changedFleet, cluster, memo);
    }).Line(ChangeTarget));

    // Not timed: the short path must give exactly the full decisions, and say how often it was taken.
    var (checks, shortPaths, hubShortPaths) = (25, 0, 0);
    for (var check = 0; check < checks; check++)
    {
        var (changedFleet, cluster) = Changed(check);
        var full = planner.Replan(steady, changedFleet, cluster, incremental: false);
        var fast = planner.Replan(steady, changedFleet, cluster, incremental: true);
        var hub = planner.ReplanLikeTheHub(steady, changedFleet, cluster, planner.PrimedMemo(fleet));
        for (var b = 0; b < bundles.Length; b++)
        {
            if (!full[b].Placement.Decision.Equals(fast[b].Placement.Decision)) throw new InvalidOperationException($"{bundles[b].Name}: incremental decision differs after {cluster} changed");
            if (!full[b].Placement.Decision.Equals(hub[b].Placement.Decision)) throw new InvalidOperationException($"{bundles[b].Name}: the hub's decision differs after {cluster} changed");
            if (fast[b].Placement.Incremental) shortPaths++;
            if (hub[b].Placement.Incremental) hubShortPaths++;
        }
    }
    Console.WriteLine($"  checked: {checks} changes, incremental == hub's == full decision for every bundle; short path taken by {shortPaths / (double)checks:F0} (the hub's way {hubShortPaths / (double)checks:F0}) of {bundles.Length} bundles per change");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
