using System.Collections.Immutable;
using Flotilla.Cli.Plan;
using Flotilla.Core.Sync;

namespace Flotilla.Cli.Tests.Plan;

/// <summary>Plans to render: one bundle that changes on a staged fleet (two clusters share a diff, one leaves, one is unreachable) and one that does not.</summary>
internal static class PlanSamples
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";

    public static ObjectChange Update(string name, string from, string to) =>
        new($"ConfigMap/shop/{name}", ChangeAction.Update, $"~ ConfigMap/shop/{name}", $"  data:\n-   value: {from}\n+   value: {to}\n", Failed: false);

    public static ObjectChange Prune(string name) => new($"ConfigMap/shop/{name}", ChangeAction.Prune, $"- ConfigMap/shop/{name} (prune)", "", Failed: false);

    public static ClusterPlan Cluster(string name, PlanMembership membership, params ObjectChange[] changes) =>
        new(name, membership) { Changes = [.. changes], Reason = membership == PlanMembership.Leaves ? "label selector region In [eu,us] not matched" : "selected, score 100" };

    public static BundlePlan Web => new("shop", "web")
    {
        Revision = Sha,
        RolloutStrategy = "Staged",
        Stages = ["canary", "prod", "(unmatched)"],
        Clusters =
        [
            Cluster("member-1", PlanMembership.Stays, Update("settings", "v1", "v2")) with { Stage = "canary", AppliedOverrides = ["eu-registry"] },
            Cluster("member-2", PlanMembership.Stays, Update("registry", "a", "b"), Update("settings", "v1", "v2")) with { Stage = "prod" },
            Cluster("member-3", PlanMembership.Joins, Update("registry", "a", "b"), Update("settings", "v1", "v2")) with { Stage = "prod" },
            Cluster("member-4", PlanMembership.Leaves, Prune("registry"), Prune("settings")),
            Cluster("member-5", PlanMembership.Stays) with { Stage = "prod", Error = "cannot reach the cluster: Connection refused" },
        ],
    };

    public static BundlePlan Db => new("shop", "db") { Revision = Sha, Clusters = [Cluster("member-1", PlanMembership.Stays)] };

    public static FleetPlan Fleet => new("revision feature", [Web, Db]);

    public static ImmutableArray<ClusterPlan> Without(this BundlePlan bundle, string cluster) => [.. bundle.Clusters.Where(c => c.Cluster != cluster)];
}
