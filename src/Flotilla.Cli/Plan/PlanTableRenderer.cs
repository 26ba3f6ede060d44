using Flotilla.Cli.Output;

namespace Flotilla.Cli.Plan;

/// <summary>
/// The terminal form of a plan: a headline, then for each bundle that would change or failed a table of its clusters
/// (placement, stage, overrides, diff group, changes), the placement's reasons for clusters joining or leaving, the
/// rollout order, and each diff group once. Unchanged bundles are named in one line at the end.
/// </summary>
public static class PlanTableRenderer
{
    public static readonly IReadOnlyList<string> Headers = ["CLUSTER", "PLACEMENT", "STAGE", "OVERRIDES", "DIFF", "CHANGES"];

    public static void Write(TextWriter output, FleetPlan plan)
    {
        output.WriteLine(PlanText.Headline(plan));
        foreach (var bundle in plan.Bundles.Where(b => b.Outcome != PlanOutcome.Unchanged))
        {
            output.WriteLine();
            output.WriteLine($"Bundle {bundle.Key} at {PlanText.Short(bundle.Revision)}: {bundle.Outcome.ToString().ToLowerInvariant()}");
            foreach (var error in bundle.Errors) output.WriteLine($"  error: {error}");
            if (bundle.Clusters.IsEmpty) continue;
            var groups = DiffGrouping.Group(bundle.Clusters);
            TableWriter.Write(output, Headers, bundle.Clusters.Select(c => (IReadOnlyList<string>)
            [
                c.Cluster, PlanText.Membership(c), c.Stage ?? "-",
                c.AppliedOverrides.IsEmpty ? "-" : string.Join(",", c.AppliedOverrides),
                DiffGrouping.LabelOf(groups, c.Cluster) ?? "-", PlanText.Changes(c),
            ]));
            foreach (var moved in bundle.Clusters.Where(c => c.Membership != PlanMembership.Stays))
                output.WriteLine($"  {moved.Cluster} {PlanText.Membership(moved)}: {moved.Reason}");
            if (!bundle.Stages.IsEmpty) output.WriteLine($"  {PlanText.Rollout(bundle)}");
            foreach (var group in groups)
            {
                output.WriteLine();
                output.WriteLine($"diff {group.Label}: {PlanText.Plural(group.Clusters.Length, "cluster")} ({string.Join(", ", group.Clusters)})");
                foreach (var change in group.Changes)
                {
                    output.WriteLine(change.Line);
                    output.Write(change.Diff);
                }
            }
        }
        var unchanged = plan.Bundles.Where(b => b.Outcome == PlanOutcome.Unchanged).Select(b => b.Key).ToList();
        if (unchanged.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"No change: {string.Join(", ", unchanged)}");
        }
    }
}
