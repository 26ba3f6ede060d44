using Flotilla.Cli.Plan;

namespace Flotilla.Cli.Tests.Plan;

public sealed class DiffGroupingTests
{
    [Fact]
    public void Clusters_with_identical_diffs_share_one_group_labelled_in_cluster_order()
    {
        var groups = DiffGrouping.Group(PlanSamples.Web.Clusters);
        Assert.Equal(["A", "B", "C"], groups.Select(g => g.Label));
        Assert.Equal(["member-1"], groups[0].Clusters.ToArray());
        Assert.Equal(["member-2", "member-3"], groups[1].Clusters.ToArray());
        Assert.Equal(2, groups[1].Changes.Length);
        Assert.Equal(["member-4"], groups[2].Clusters.ToArray());
        Assert.Equal("B", DiffGrouping.LabelOf(groups, "member-3"));
    }

    [Fact]
    public void Input_order_does_not_change_the_labels()
    {
        var reversed = DiffGrouping.Group(PlanSamples.Web.Clusters.Reverse());
        Assert.Equal(DiffGrouping.Group(PlanSamples.Web.Clusters).Select(g => (g.Label, string.Join(",", g.Clusters))), reversed.Select(g => (g.Label, string.Join(",", g.Clusters))));
    }

    [Fact]
    public void A_diff_that_differs_in_one_line_is_its_own_group()
    {
        var clusters = new[]
        {
            PlanSamples.Cluster("a", PlanMembership.Stays, PlanSamples.Update("settings", "v1", "v2")),
            PlanSamples.Cluster("b", PlanMembership.Stays, PlanSamples.Update("settings", "v1", "v3")),
            PlanSamples.Cluster("c", PlanMembership.Stays, PlanSamples.Update("settings", "v1", "v2")),
        };
        var groups = DiffGrouping.Group(clusters);
        Assert.Equal([["a", "c"], ["b"]], groups.Select(g => g.Clusters.ToArray()));
    }

    [Fact]
    public void Failed_and_unchanged_clusters_are_not_grouped()
    {
        var groups = DiffGrouping.Group(PlanSamples.Web.Clusters.Concat(PlanSamples.Db.Clusters.Select(c => c with { Cluster = "member-6" })));
        Assert.DoesNotContain(groups, g => g.Clusters.Contains("member-5") || g.Clusters.Contains("member-6"));
        Assert.Null(DiffGrouping.LabelOf(groups, "member-5"));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(27, "AB")]
    [InlineData(52, "BA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Labels_run_like_spreadsheet_columns(int index, string label) => Assert.Equal(label, DiffGrouping.Label(index));
}
