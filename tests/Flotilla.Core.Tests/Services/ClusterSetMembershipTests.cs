using Flotilla.Core.Clusters;
using Flotilla.Core.Services;

namespace Flotilla.Core.Tests.Services;

public sealed class ClusterSetMembershipTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static SetCandidate Cluster(string name, string region) => new(name, new Dictionary<string, string> { ["region"] = region });

    [Fact]
    public void A_cluster_two_sets_select_is_in_the_older_and_the_younger_says_why_not()
    {
        var sets = Assign(
            new ClusterSetDefinition("young", T0.AddMinutes(1), LabelSelector.Everything),
            new ClusterSetDefinition("old", T0, LabelSelector.Parse("region=eu")));
        Assert.Equal(["eu-1"], sets["old"].Members.ToArray());
        Assert.Equal(["us-1"], sets["young"].Members.ToArray());
        var excluded = Assert.Single(sets["young"].Excluded);
        Assert.Equal("eu-1", excluded.Name);
        Assert.Contains("already in ClusterSet old", excluded.Reason);
    }

    [Fact]
    public void Equal_ages_go_by_set_name_and_unmatched_clusters_are_nowhere()
    {
        var sets = Assign(new ClusterSetDefinition("b", T0, LabelSelector.Everything), new ClusterSetDefinition("a", T0, LabelSelector.Parse("region=mars")));
        Assert.Empty(sets["a"].Members.ToArray());
        Assert.Empty(sets["a"].Excluded);
        Assert.Equal(["eu-1", "us-1"], sets["b"].Members.ToArray());
    }

    private static IReadOnlyDictionary<string, SetMembers> Assign(params ClusterSetDefinition[] sets) =>
        ClusterSetMembership.Assign(sets, [Cluster("us-1", "us"), Cluster("eu-1", "eu")]);
}
