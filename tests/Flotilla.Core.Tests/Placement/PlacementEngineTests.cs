using Flotilla.Core.Clusters;
using Flotilla.Core.Placement;

namespace Flotilla.Core.Tests.Placement;

/// <summary>The engine's contract beyond the fixture cases: refusing bad input, the shape of the outcome list, the explain rows.</summary>
public sealed class PlacementEngineTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_refuses_a_spec_that_Validate_rejects()
    {
        var spec = new PlacementSpec { NumberOfClusters = -2 };

        var error = Assert.Throws<ArgumentException>(() => PlacementEngine.Decide(spec, new PlacementInput([new ClusterFacts("a")], Now)));
        Assert.Contains("numberOfClusters is -2", error.Message);
    }

    [Fact]
    public void Decide_refuses_a_cluster_listed_twice()
    {
        var input = new PlacementInput([new ClusterFacts("b"), new ClusterFacts("a"), new ClusterFacts("b")], Now);

        var error = Assert.Throws<ArgumentException>(() => PlacementEngine.Decide(new PlacementSpec(), input));
        Assert.Contains("cluster b is listed twice", error.Message);
    }

    [Fact]
    public void Empty_fleet_gives_an_empty_decision()
    {
        var decision = PlacementEngine.Decide(new PlacementSpec { Spread = new SpreadSpec("region") }, new PlacementInput([], Now));

        Assert.Empty(decision.Selected);
        Assert.Empty(decision.Outcomes);
        Assert.Null(decision.RecheckAt);
    }

    [Fact]
    public void Number_of_clusters_zero_selects_none_and_says_why()
    {
        var decision = PlacementEngine.Decide(new PlacementSpec { NumberOfClusters = 0 }, new PlacementInput([new ClusterFacts("a")], Now));

        Assert.Empty(decision.Selected);
        Assert.Equal("not among the 0 highest scores (score 100)", Assert.Single(decision.NotSelected).Reason);
    }

    [Fact]
    public void Outcomes_are_by_name_and_only_clusters_that_passed_the_filters_are_scored()
    {
        var input = new PlacementInput(
        [
            new ClusterFacts("c"),
            new ClusterFacts("a") { Taints = [new ClusterTaint("compliance", "pci", TaintEffect.NoSelect, Now)] },
            new ClusterFacts("b"),
        ], Now);

        var decision = PlacementEngine.Decide(new PlacementSpec(), input);

        Assert.Equal(["a", "b", "c"], decision.Outcomes.Select(o => o.Cluster));
        Assert.Equal(new ClusterOutcome("a", false, null, PlacementStep.Taint, "taint compliance=pci:NoSelect not tolerated"), decision.Outcomes[0]);
        Assert.Equal(new ClusterOutcome("b", true, 100, null, null), decision.Outcomes[1]);
    }

    [Fact]
    public void Explain_lists_selected_clusters_first_and_can_show_one_cluster()
    {
        var input = new PlacementInput(
        [
            new ClusterFacts("a") { Labels = new Dictionary<string, string> { ["env"] = "dev" } },
            new ClusterFacts("b") { Labels = new Dictionary<string, string> { ["env"] = "prod" } },
        ], Now);
        var decision = PlacementEngine.Decide(new PlacementSpec { MatchLabels = MatchLabels("env", "prod") }, input);

        Assert.Equal(
            [new ExplainRow("b", "yes", "100", ""), new ExplainRow("a", "no", "-", "label selector: env=prod not matched")],
            PlacementExplainer.Rows(decision).ToArray());
        Assert.Equal([new ExplainRow("a", "no", "-", "label selector: env=prod not matched")], PlacementExplainer.Rows(decision, "a").ToArray());
        Assert.Empty(PlacementExplainer.Rows(decision, "unknown"));
        Assert.Equal(PlacementExplainer.Headers.Count, PlacementExplainer.Rows(decision)[0].Cells.Count);
    }

    [Fact]
    public void Specs_with_the_same_content_are_equal()
    {
        PlacementSpec Build() => new()
        {
            MatchLabels = MatchLabels("env", "prod"),
            MatchExpressions = [new SelectorRequirementSpec("region", "In", ["eu"])],
            Tolerations = [new TolerationSpec("compliance", "Exists")],
            Prioritizers = [new PrioritizerSpec("Steady")],
        };

        Assert.Equal(Build(), Build());
        Assert.NotEqual(Build(), Build() with { MatchExpressions = [new SelectorRequirementSpec("region", "In", ["us"])] });
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> MatchLabels(string key, string value) =>
        System.Collections.Immutable.ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(key, value);
}
