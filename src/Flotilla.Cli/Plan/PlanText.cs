using Flotilla.Cli.Output;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Plan;

/// <summary>The phrases the table and Markdown renderers share, so both read the same.</summary>
public static class PlanText
{
    public static string Headline(FleetPlan plan)
    {
        int Count(PlanOutcome o) => plan.Bundles.Count(b => b.Outcome == o);
        return $"Plan of {plan.Source}: {Plural(plan.Bundles.Length, "bundle")}, {Count(PlanOutcome.Changed)} would change, {Count(PlanOutcome.Failed)} failed, {Count(PlanOutcome.Unchanged)} unchanged";
    }

    public static string Membership(ClusterPlan cluster) => cluster.Membership switch
    {
        PlanMembership.Stays => "stays",
        PlanMembership.Joins => "joins",
        PlanMembership.Leaves => "leaves",
    };

    /// <summary>"2 update, 1 prune", "no change", or the failure.</summary>
    public static string Changes(ClusterPlan cluster)
    {
        if (cluster.Error is { } error) return $"failed: {error}";
        var counts = cluster.Changes.GroupBy(c => c.Failed ? "refused" : ObjectDiffText.Words(c.Action)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}").ToList();
        return counts.Count == 0 ? "no change" : string.Join(", ", counts);
    }

    /// <summary>Each stage in rollout order with the clusters it would move (those that change and stay or join).</summary>
    public static IEnumerable<(string Stage, IReadOnlyList<string> Clusters)> Stages(BundlePlan bundle) =>
        bundle.Stages.Select(stage => (stage, (IReadOnlyList<string>)[.. bundle.Clusters
            .Where(c => c.Stage == stage && c.Membership != PlanMembership.Leaves && c.Outcome != PlanOutcome.Unchanged)
            .Select(c => c.Cluster)]));

    public static string Rollout(BundlePlan bundle) =>
        $"{bundle.RolloutStrategy} rollout: " + string.Join(" → ", Stages(bundle).Select(s => $"{s.Stage}: {(s.Clusters.Count == 0 ? "none" : string.Join(", ", s.Clusters))}"));

    /// <summary>"1 cluster" / "3 clusters".</summary>
    public static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Short(string? revision) => revision is null ? "<none>" : revision.Length == 40 || revision.Length == 64 ? revision[..12] : revision;
}
