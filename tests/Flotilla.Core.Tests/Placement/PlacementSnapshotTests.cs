using System.Collections.Immutable;
using Flotilla.Core.Clusters;
using Flotilla.Core.Placement;

namespace Flotilla.Core.Tests.Placement;

/// <summary>
/// <see cref="PlacementSnapshot.Redecide"/> must always equal a full <see cref="PlacementEngine.Decide"/>: checked over
/// long random walks of one- and two-cluster changes, and case by case for each reason the short path steps aside.
/// </summary>
public sealed class PlacementSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Regions = ["eu", "us", "ap"];

    public static TheoryData<string> Specs => [.. SpecsByName.Keys];

    private static readonly Dictionary<string, PlacementSpec> SpecsByName = new()
    {
        ["everything, default prioritizers"] = new PlacementSpec(),
        ["label selector"] = new PlacementSpec { MatchExpressions = [new("region", "In", ["eu", "us"])] },
        ["facts and a property prioritizer"] = new PlacementSpec
        {
            MatchFacts = [new("nodeCount", "Ge", ["5"])],
            Prioritizers = [new("ClusterProperty", 3, "cost", "Lowest"), new("Steady", 1)],
        },
        ["tolerations with seconds"] = new PlacementSpec
        {
            Tolerations = [new("maintenance", "Exists", TolerationSeconds: 600), new(UnavailableTaint.Key, "Exists", TolerationSeconds: 900)],
            Prioritizers = [new("LeastBundles", 2), new("Steady", 2)],
        },
        ["pci tolerated"] = new PlacementSpec { Tolerations = [new("compliance", "Equal", "pci", "NoSelect")] },
        ["numberOfClusters"] = new PlacementSpec { NumberOfClusters = 5, MatchExpressions = [new("region", "NotIn", ["ap"])] },
        ["spread"] = new PlacementSpec { Spread = new SpreadSpec("region"), NumberOfClusters = 6, MatchFacts = [new("nodeCount", "Gt", ["3"])] },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Random_walks_of_cluster_changes_give_the_full_decision(string name)
    {
        var spec = SpecsByName[name];
        var shortPaths = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var clusters = Enumerable.Range(0, 40).Select(i => RandomCluster(random, $"c{i:D2}", Now)).ToArray();
            var input = new PlacementInput(clusters, Now) { BundleCounts = clusters.ToDictionary(c => c.Name, _ => random.Next(4)) };
            var snapshot = PlacementSnapshot.Take(spec, input);
            Assert.Equal(PlacementEngine.Decide(spec, input), snapshot.Decision);
            for (var step = 0; step < 60; step++)
            {
                (input, var changed) = Change(random, input, snapshot.Decision);
                snapshot = snapshot.Redecide(input, changed);
                Assert.Equal(PlacementEngine.Decide(spec, input), snapshot.Decision);
                if (snapshot.Incremental) shortPaths++;
            }
        }
        // The walk must exercise the short path where it applies, or the equality above proves nothing about it. With
        // numberOfClusters or spread it applies only to clusters filtered out before and after: fewer steps.
        var ranked = spec.NumberOfClusters is not null || spec.Spread is not null;
        Assert.True(shortPaths > (ranked ? 50 : 600), $"only {shortPaths} of 1200 steps took the short path");
    }

    [Fact]
    public void An_input_out_of_name_order_is_decided_right_at_every_step()
    {
        // In name order but for one cluster listed in the middle: the clusters before it sit where the name-ordered fleet
        // has them, those after it do not (the short path finds a changed cluster by its position in that order).
        var spec = new PlacementSpec { Prioritizers = [new PrioritizerSpec("LeastBundles")] };
        var random = new Random(11);
        var clusters = Enumerable.Range(0, 30).Select(i => Cluster($"c{i:00}", Regions[i % 3])).ToList();
        clusters.Insert(20, Cluster("zz", "eu"));
        var input = Input([.. clusters]);
        var snapshot = PlacementSnapshot.Take(spec, input);
        for (var step = 0; step < 100; step++)
        {
            var i = random.Next(clusters.Count);
            clusters = [.. clusters];
            clusters[i] = Cluster(clusters[i].Name, Regions[random.Next(3)]);
            input = input with { Clusters = [.. clusters], BundleCounts = new Dictionary<string, int> { [clusters[i].Name] = random.Next(3) } };
            snapshot = snapshot.Redecide(input, [clusters[i].Name, .. input.BundleCounts.Keys]);
            Assert.Equal(PlacementEngine.Decide(spec, input), snapshot.Decision);
        }
    }

    [Fact]
    public void A_relabelled_cluster_is_decided_alone()
    {
        var spec = new PlacementSpec { MatchLabels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("region", "eu")]) };
        var input = Input(Cluster("a", "eu"), Cluster("b", "us"), Cluster("c", "eu"));
        var snapshot = PlacementSnapshot.Take(spec, input);

        var moved = input with { Clusters = [Cluster("a", "eu"), Cluster("b", "eu"), Cluster("c", "eu")] };
        var next = snapshot.Redecide(moved, ["b"]);

        Assert.True(next.Incremental);
        Assert.Equal(new[] { "a", "b", "c" }, next.Decision.Selected);
        Assert.Equal(PlacementEngine.Decide(spec, moved), next.Decision);
    }

    [Fact]
    public void With_numberOfClusters_a_cluster_filtered_out_before_and_after_is_decided_alone_and_one_that_passes_is_not()
    {
        var spec = new PlacementSpec { NumberOfClusters = 1, MatchLabels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("region", "eu")]) };
        var input = Input(Cluster("a", "eu"), Cluster("b", "us"), Cluster("c", "eu"));
        var snapshot = PlacementSnapshot.Take(spec, input);

        var outside = input with { Clusters = [Cluster("a", "eu"), Cluster("b", "ap"), Cluster("c", "eu")] };
        var inside = input with { Clusters = [Cluster("a", "eu"), Cluster("b", "eu"), Cluster("c", "eu")] };

        Assert.True(snapshot.Redecide(outside, ["b"]).Incremental);
        Assert.Equal(PlacementEngine.Decide(spec, outside), snapshot.Redecide(outside, ["b"]).Decision);
        Assert.False(snapshot.Redecide(inside, ["b"]).Incremental);
        Assert.Equal(PlacementEngine.Decide(spec, inside), snapshot.Redecide(inside, ["b"]).Decision);
    }

    [Fact]
    public void With_spread_a_current_cluster_going_unavailable_within_its_grace_keeps_every_rank()
    {
        var spec = new PlacementSpec { NumberOfClusters = 2, Spread = new SpreadSpec("region") };
        var input = Input(Cluster("a", "eu"), Cluster("b", "us"), Cluster("c", "eu")) with { Current = new HashSet<string> { "a", "b" } };
        var snapshot = PlacementSnapshot.Take(spec, input);

        var down = input with { Clusters = [input.Clusters[0] with { UnavailableSince = Now }, input.Clusters[1], input.Clusters[2]], Now = Now.AddSeconds(5) };
        var next = snapshot.Redecide(down, ["a"]);

        Assert.True(next.Incremental);
        Assert.Equal(Now.AddSeconds(UnavailableTaint.DefaultTolerationSeconds), next.Decision.RecheckAt);
        Assert.Equal(PlacementEngine.Decide(spec, down), next.Decision);
    }

    [Fact]
    public void With_spread_an_unchosen_cluster_dropping_out_keeps_the_choice_while_its_domain_keeps_a_chosen_one()
    {
        var spec = new PlacementSpec { NumberOfClusters = 2, Spread = new SpreadSpec("region") };
        var input = Input(Cluster("a", "eu"), Cluster("b", "us"), Cluster("c", "eu"), Cluster("d", "ap")) with { Current = new HashSet<string> { "a", "b" } };
        var snapshot = PlacementSnapshot.Take(spec, input);
        Assert.Equal(new[] { "a", "b" }, snapshot.Decision.Selected);

        var cDown = input with { Clusters = [.. input.Clusters.Select(c => c.Name == "c" ? c with { UnavailableSince = Now } : c)] };
        var dDown = input with { Clusters = [.. input.Clusters.Select(c => c.Name == "d" ? c with { UnavailableSince = Now } : c)] };

        Assert.True(snapshot.Redecide(cDown, ["c"]).Incremental);
        Assert.Equal(PlacementEngine.Decide(spec, cDown), snapshot.Redecide(cDown, ["c"]).Decision);
        // ap loses its only candidate: a domain fewer changes what maxSkew allows.
        Assert.False(snapshot.Redecide(dDown, ["d"]).Incremental);
        Assert.Equal(PlacementEngine.Decide(spec, dDown), snapshot.Redecide(dDown, ["d"]).Decision);
    }

    [Fact]
    public void A_change_that_leaves_the_outcome_as_it_was_keeps_the_same_decision()
    {
        var spec = new PlacementSpec { MatchLabels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("region", "eu")]) };
        var input = Input(Cluster("a", "eu"), Cluster("b", "us"));
        var snapshot = PlacementSnapshot.Take(spec, input);

        var next = snapshot.Redecide(input with { Clusters = [Cluster("a", "eu"), Cluster("b", "ap")] }, ["b"]);

        Assert.True(next.Incremental);
        Assert.Same(snapshot.Decision, next.Decision);
    }

    public static TheoryData<string> FullCases => [.. FullCasesByName.Keys];

    // Each: a fleet, then a change (clusters, current, now) after which the short path must step aside.
    private static readonly Dictionary<string, (PlacementSpec Spec, PlacementInput Before, Func<PlacementInput, PlacementInput> Change, string[] Changed)> FullCasesByName = new()
    {
        ["the last cluster free of avoidance becomes avoided: the avoided ones are selected"] = (new PlacementSpec(),
            Input(Cluster("a", "eu"), Cluster("b", "eu", Taint("maintenance", TaintEffect.PreferNoSelect))),
            i => i with { Clusters = [Cluster("a", "eu", Taint("maintenance", TaintEffect.PreferNoSelect)), i.Clusters[1]] }, ["a"]),
        ["a property beyond the range moves every score"] = (new PlacementSpec { Prioritizers = [new("ClusterProperty", 1, "cost")] },
            Input(Cluster("a", "eu", cost: "1"), Cluster("b", "eu", cost: "2"), Cluster("c", "eu", cost: "3")),
            i => i with { Clusters = [Cluster("a", "eu", cost: "9"), i.Clusters[1], i.Clusters[2]] }, ["a"]),
        ["the only cluster at the end of the range leaves it"] = (new PlacementSpec { Prioritizers = [new("ClusterProperty", 1, "cost")] },
            Input(Cluster("a", "eu", cost: "1"), Cluster("b", "eu", cost: "2"), Cluster("c", "eu", cost: "3")),
            i => i with { Clusters = [i.Clusters[0], i.Clusters[1], Cluster("c", "eu", cost: "2")] }, ["c"]),
        ["a toleration grace ended"] = (new PlacementSpec { Tolerations = [new("maintenance", "Exists", TolerationSeconds: 120)] },
            Input(Cluster("a", "eu", Taint("maintenance", TaintEffect.NoSelect)), Cluster("b", "eu")) with { Current = new HashSet<string> { "a" } },
            i => i with { Now = Now.AddMinutes(2) }, ["b"]),
        ["a cluster joined"] = (new PlacementSpec(), Input(Cluster("a", "eu")), i => i with { Clusters = [i.Clusters[0], Cluster("b", "us")] }, ["b"]),
        ["time went back"] = (new PlacementSpec(), Input(Cluster("a", "eu")), i => i with { Now = Now.AddSeconds(-1) }, ["a"]),
        ["the clusters are not in name order"] = (new PlacementSpec(), Input(Cluster("a", "eu"), Cluster("b", "eu")),
            i => i with { Clusters = [Cluster("b", "us"), Cluster("a", "eu")] }, ["b"]),
    };

    [Theory]
    [MemberData(nameof(FullCases))]
    public void Decides_in_full_where_the_change_reaches_other_clusters(string name)
    {
        var (spec, before, change, changed) = FullCasesByName[name];
        var after = change(before);

        var next = PlacementSnapshot.Take(spec, before).Redecide(after, changed);

        Assert.False(next.Incremental);
        Assert.Equal(PlacementEngine.Decide(spec, after), next.Decision);
    }

    private static PlacementInput Input(params ClusterFacts[] clusters) => new(clusters, Now);

    private static ClusterTaint Taint(string key, TaintEffect effect) => new(key, "", effect, Now.AddMinutes(-1));

    private static ClusterFacts Cluster(string name, string region, ClusterTaint? taint = null, string? cost = null) => new(name)
    {
        Labels = new Dictionary<string, string> { ["region"] = region },
        Taints = taint is null ? [] : [taint],
        Properties = cost is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cost"] = cost },
    };

    private static ClusterFacts RandomCluster(Random random, string name, DateTimeOffset now)
    {
        var taints = new List<ClusterTaint>();
        if (random.Next(6) == 0) taints.Add(new ClusterTaint("maintenance", "", random.Next(2) == 0 ? TaintEffect.PreferNoSelect : TaintEffect.NoSelect, now.AddMinutes(-random.Next(20))));
        if (random.Next(10) == 0) taints.Add(new ClusterTaint("compliance", "pci", TaintEffect.NoSelect, now.AddDays(-1)));
        if (random.Next(12) == 0) taints.Add(new ClusterTaint("tenant", "a", TaintEffect.NoSelectIfNew, now.AddDays(-1)));
        var properties = new Dictionary<string, string>();
        if (random.Next(5) > 0) properties["cost"] = random.Next(1, 6).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ClusterFacts(name)
        {
            Labels = new Dictionary<string, string> { ["region"] = Regions[random.Next(Regions.Length)] },
            Taints = taints,
            Properties = properties,
            NodeCount = random.Next(1, 10),
            UnavailableSince = random.Next(8) == 0 ? now.AddMinutes(-random.Next(30)) : null,
        };
    }

    /// <summary>One step of a walk: one or two clusters change facts, the bundle's current set follows the last decision, and time moves on a little.</summary>
    private static (PlacementInput Input, string[] Changed) Change(Random random, PlacementInput input, PlacementDecision last)
    {
        var now = input.Now.AddSeconds(random.Next(0, 120));
        var clusters = input.Clusters.ToArray();
        var current = last.Selected.ToHashSet(StringComparer.Ordinal);
        var counts = input.BundleCounts.ToDictionary();
        // The current set moves to the last decision: every cluster whose selection differs from the old set changed too.
        var changed = clusters.Where(c => input.Current.Contains(c.Name) != current.Contains(c.Name)).Select(c => c.Name).ToList();
        for (var k = random.Next(1, 3); k > 0; k--)
        {
            var i = random.Next(clusters.Length);
            clusters[i] = random.Next(5) switch
            {
                0 => clusters[i] with { Labels = new Dictionary<string, string> { ["region"] = Regions[random.Next(Regions.Length)] } },
                1 => clusters[i] with { UnavailableSince = clusters[i].UnavailableSince is null ? now : null },
                2 => clusters[i] with { Properties = new Dictionary<string, string> { ["cost"] = random.Next(1, 6).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                3 => RandomCluster(random, clusters[i].Name, now),
                _ => clusters[i],
            };
            counts[clusters[i].Name] = random.Next(4);
            changed.Add(clusters[i].Name);
        }
        return (input with { Clusters = clusters, Now = now, Current = current, BundleCounts = counts }, [.. changed]);
    }
}
