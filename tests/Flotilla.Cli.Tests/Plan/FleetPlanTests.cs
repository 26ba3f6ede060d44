using Flotilla.Cli.Plan;
using Flotilla.Core.Sync;

namespace Flotilla.Cli.Tests.Plan;

public sealed class FleetPlanTests
{
    private static int ExitCode(params BundlePlan[] bundles) => new FleetPlan("test", [.. bundles]).ExitCode;

    [Fact]
    public void Nothing_to_change_is_exit_code_0() => Assert.Equal(0, ExitCode(PlanSamples.Db, new BundlePlan("shop", "empty")));

    [Fact]
    public void No_bundle_in_scope_is_exit_code_0() => Assert.Equal(0, ExitCode());

    [Fact]
    public void A_change_on_one_cluster_is_exit_code_1() =>
        Assert.Equal(1, ExitCode(PlanSamples.Db, PlanSamples.Web with { Clusters = PlanSamples.Web.Without("member-5") }));

    [Fact]
    public void One_failed_cluster_is_exit_code_2_and_fails_only_its_own_row()
    {
        var web = PlanSamples.Web;
        Assert.Equal(2, ExitCode(web));
        Assert.Equal(PlanOutcome.Failed, web.Clusters.Single(c => c.Cluster == "member-5").Outcome);
        Assert.All(web.Clusters.Where(c => c.Cluster != "member-5"), c => Assert.Equal(PlanOutcome.Changed, c.Outcome));
    }

    [Fact]
    public void A_bundle_that_cannot_be_rendered_is_exit_code_2() =>
        Assert.Equal(2, ExitCode(PlanSamples.Db, new BundlePlan("shop", "broken") { Errors = ["a.yaml: not YAML"] }));

    [Fact]
    public void An_object_the_server_would_refuse_is_exit_code_2()
    {
        var refused = new ObjectChange("ConfigMap/shop/x", ChangeAction.Conflict, "! ConfigMap/shop/x (conflict: .data.value)", "", Failed: true);
        Assert.Equal(2, ExitCode(new BundlePlan("shop", "web") { Clusters = [PlanSamples.Cluster("member-1", PlanMembership.Stays, refused)] }));
    }

    [Theory]
    [InlineData(PlanMembership.Joins)]
    [InlineData(PlanMembership.Leaves)]
    public void Joining_or_leaving_is_a_change_even_without_objects(PlanMembership membership) =>
        Assert.Equal(1, ExitCode(new BundlePlan("shop", "web") { Clusters = [PlanSamples.Cluster("member-1", membership)] }));

    [Fact]
    public void Prunes_skipped_are_not_changes()
    {
        var skipped = new ObjectChange("ConfigMap/shop/x", ChangeAction.PruneSkipped, "= ConfigMap/shop/x (not pruned: prune is off)", "", Failed: false);
        Assert.Equal(0, ExitCode(new BundlePlan("shop", "web") { Clusters = [PlanSamples.Cluster("member-1", PlanMembership.Stays, skipped)] }));
    }
}
