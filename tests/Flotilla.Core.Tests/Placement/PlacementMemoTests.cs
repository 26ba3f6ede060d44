using Flotilla.Core.Placement;

namespace Flotilla.Core.Tests.Placement;

/// <summary>
/// The hub's placement memo must decide exactly as a full <see cref="PlacementEngine.Decide(PlacementSpec, PlacementInput)"/>
/// when its inputs arrive the way the hub builds them: the directory's facts list with one new instance per changed
/// cluster, a fresh set of current clusters and a fresh copy of the bundle counts on every reconcile.
/// </summary>
public sealed class PlacementMemoTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Regions = ["eu", "us", "ap"];

    private static ClusterFacts Cluster(string name, string region, bool available = true) => new(name)
    {
        Labels = new Dictionary<string, string> { ["region"] = region, ["env"] = region == "ap" ? "prod" : "dev" },
        UnavailableSince = available ? null : Start,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_walk_of_hub_like_changes_always_decides_as_a_full_decision_and_mostly_takes_the_short_path(bool selector)
    {
        var spec = selector
            ? new PlacementSpec { MatchExpressions = [new SelectorRequirementSpec("env", "In", ["dev"])], Prioritizers = [new PrioritizerSpec("LeastBundles", 1, null, null)] }
            : new PlacementSpec();
        var random = new Random(7);
        var facts = Enumerable.Range(0, 40).Select(i => Cluster($"c{i:00}", Regions[i % 3])).ToList();
        var counts = facts.ToDictionary(f => f.Name, _ => random.Next(3), StringComparer.Ordinal);
        var memo = new PlacementMemo();
        var current = new HashSet<string>(StringComparer.Ordinal);
        var (shortPaths, now) = (0, Start);
        for (var step = 0; step < 300; step++)
        {
            var i = random.Next(facts.Count);
            switch (random.Next(5))
            {
                case 0: facts[i] = Cluster(facts[i].Name, Regions[random.Next(3)]); break;                      // relabel
                case 1: facts[i] = Cluster(facts[i].Name, facts[i].Labels["region"], random.Next(2) == 0); break; // availability
                case 2: counts[facts[i].Name] = random.Next(4); break;                                              // another bundle moved
                case 3 when step % 30 == 3:                                                                          // a join, now and then
                    facts.Add(Cluster($"j{step:000}", "eu"));
                    facts.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name)); // the directory lists by name
                    break;
                default: break;                                                                                      // a heartbeat: nothing
            }
            now = now.AddSeconds(1);
            var input = new PlacementInput([.. facts], now)
            {
                Current = new HashSet<string>(current, StringComparer.Ordinal),
                BundleCounts = new Dictionary<string, int>(counts, StringComparer.Ordinal),
            };
            var snapshot = memo.Decide("ns/app", 1, () => spec, input);
            var full = PlacementEngine.Decide(spec, input);
            if (!full.Equals(snapshot.Decision))
                Assert.Fail($"step {step} incremental={snapshot.Incremental}: " + string.Join("; ", full.Outcomes.Zip(snapshot.Decision.Outcomes).Where(p => p.First != p.Second).Take(3).Select(p => $"{p.First} vs {p.Second}")));
            if (snapshot.Incremental) shortPaths++;
            current = [.. snapshot.Decision.Selected];
        }
        Assert.True(shortPaths > 200, $"only {shortPaths} of 300 reconciles took the short path");
    }

    [Fact]
    public void With_the_hubs_shared_set_and_count_table_the_memo_names_what_changed_without_comparing_every_count()
    {
        var spec = new PlacementSpec { Prioritizers = [new PrioritizerSpec("LeastBundles", 1, null, null)], NumberOfClusters = 10 };
        var random = new Random(11);
        var facts = Enumerable.Range(0, 40).Select(i => Cluster($"c{i:00}", Regions[i % 3])).ToArray();
        // Other bundles' clusters as the hub counts them: the table holds this bundle's clusters too, the view leaves them out.
        var table = BundleCountTable.Create().Add([.. facts.Select(f => f.Name).Where((_, i) => i % 2 == 0)], +1);
        IReadOnlySet<string> own = new HashSet<string>(StringComparer.Ordinal);
        var memo = new PlacementMemo();
        var (last, now) = ((PlacementInput?)null, Start);
        for (var step = 0; step < 300; step++)
        {
            var touched = facts[random.Next(facts.Length)].Name;
            if (random.Next(3) == 0) table = table.Add([touched], table.CountOf(touched) > (own.Contains(touched) ? 1 : 0) && random.Next(2) == 0 ? -1 : +1);
            now = now.AddSeconds(1);
            var input = new PlacementInput(facts, now) { Current = own, BundleCounts = new OtherBundleCounts(table, own) };
            if (last is not null)
            {
                // What the table names must cover what comparing copies finds, and name nothing else but the touched cluster.
                var named = PlacementMemo.Changed(last, input);
                var compared = PlacementMemo.Changed(Copied(last), Copied(input));
                Assert.Superset(compared.ToHashSet(), named.ToHashSet());
                Assert.Subset(compared.Append(touched).ToHashSet(), named.ToHashSet());
            }
            var snapshot = memo.Decide("ns/app", 1, () => spec, input);
            Assert.Equal(PlacementEngine.Decide(spec, input), snapshot.Decision);
            last = input;
            // Published: the count table and the own set change only when the clusters do (the targets keep the instance).
            if (!own.SetEquals(snapshot.Decision.Selected))
            {
                var selected = snapshot.Decision.Selected.ToHashSet(StringComparer.Ordinal);
                table = table.Add([.. own.Except(selected)], -1).Add([.. selected.Except(own)], +1);
                own = selected;
            }
        }

        static PlacementInput Copied(PlacementInput input) => input with
        {
            Current = new HashSet<string>(input.Current, StringComparer.Ordinal),
            BundleCounts = input.BundleCounts.ToDictionary(StringComparer.Ordinal),
        };
    }

    [Fact]
    public void A_new_generation_decides_in_full_with_the_new_spec()
    {
        var facts = new[] { Cluster("a", "eu"), Cluster("b", "ap") };
        var memo = new PlacementMemo();
        var input = new PlacementInput(facts, Start);
        Assert.Equal<string>(["a", "b"], memo.Decide("ns/app", 1, () => new PlacementSpec(), input).Decision.Selected);

        var prodOnly = new PlacementSpec { MatchExpressions = [new SelectorRequirementSpec("env", "In", ["prod"])] };
        var next = memo.Decide("ns/app", 2, () => prodOnly, input with { Now = Start.AddSeconds(1) });
        Assert.False(next.Incremental);
        Assert.Equal<string>(["b"], next.Decision.Selected);
    }

    [Fact]
    public void Changed_names_every_cluster_whose_facts_membership_or_bundle_count_differ_and_nothing_else()
    {
        var (a, b, c, d) = (Cluster("a", "eu"), Cluster("b", "eu"), Cluster("c", "us"), Cluster("d", "ap"));
        var before = new PlacementInput([a, b, c, d], Start)
        {
            Current = new HashSet<string> { "a", "b" },
            BundleCounts = new Dictionary<string, int> { ["a"] = 1, ["c"] = 2 },
        };
        var after = new PlacementInput([a, Cluster("b", "us"), c, d], Start.AddSeconds(5))
        {
            Current = new HashSet<string> { "a", "c" },
            BundleCounts = new Dictionary<string, int> { ["a"] = 1, ["c"] = 2, ["d"] = 1 },
        };
        Assert.Equal(["b", "c", "d"], PlacementMemo.Changed(before, after).Order(StringComparer.Ordinal));
        Assert.Empty(PlacementMemo.Changed(before, before with { Now = Start.AddSeconds(9) }));
    }
}
