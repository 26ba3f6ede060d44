using System.Text.RegularExpressions;

namespace Flotilla.Cli.Plan;

/// <summary>
/// The plan as GitHub-flavoured Markdown, for a pull-request comment: the same content as the table, each bundle under
/// its own heading, each diff group in a collapsed <c>details</c> block with a <c>diff</c> code fence.
/// </summary>
public static partial class PlanMarkdownRenderer
{
    public static void Write(TextWriter output, FleetPlan plan)
    {
        output.WriteLine($"### {Escape(PlanText.Headline(plan))}");
        foreach (var bundle in plan.Bundles.Where(b => b.Outcome != PlanOutcome.Unchanged))
        {
            output.WriteLine();
            output.WriteLine($"#### `{bundle.Key}` at `{PlanText.Short(bundle.Revision)}`: {bundle.Outcome.ToString().ToLowerInvariant()}");
            foreach (var error in bundle.Errors) output.WriteLine($"- **error**: {Escape(error)}");
            if (bundle.Clusters.IsEmpty) continue;
            var groups = DiffGrouping.Group(bundle.Clusters);
            output.WriteLine();
            output.WriteLine("| Cluster | Placement | Stage | Overrides | Diff | Changes |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (var c in bundle.Clusters)
            {
                var placement = c.Membership == PlanMembership.Stays ? "stays" : $"{PlanText.Membership(c)}: {c.Reason}";
                var overrides = c.AppliedOverrides.IsEmpty ? "-" : string.Join(", ", c.AppliedOverrides);
                output.WriteLine($"| {Cell(c.Cluster)} | {Cell(placement)} | {Cell(c.Stage ?? "-")} | {Cell(overrides)} | {DiffGrouping.LabelOf(groups, c.Cluster) ?? "-"} | {Cell(PlanText.Changes(c))} |");
            }
            if (!bundle.Stages.IsEmpty)
            {
                output.WriteLine();
                output.WriteLine(Escape(PlanText.Rollout(bundle)));
            }
            foreach (var group in groups)
            {
                var text = string.Concat(group.Changes.Select(change => change.Line + "\n" + change.Diff));
                var fence = Fence(text);
                output.WriteLine();
                output.WriteLine($"<details><summary>diff {group.Label}: {PlanText.Plural(group.Clusters.Length, "cluster")} ({Escape(string.Join(", ", group.Clusters))})</summary>");
                output.WriteLine();
                output.WriteLine(fence + "diff");
                output.Write(text);
                output.WriteLine(fence);
                output.WriteLine("</details>");
            }
        }
        var unchanged = plan.Bundles.Where(b => b.Outcome == PlanOutcome.Unchanged).Select(b => $"`{b.Key}`").ToList();
        if (unchanged.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"No change: {string.Join(", ", unchanged)}");
        }
    }

    /// <summary>A table cell: one line, pipes escaped.</summary>
    private static string Cell(string text) => Escape(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>Text outside code: HTML-significant characters escaped, so an object name cannot open a tag in the comment.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A backtick fence longer than any run of backticks in <paramref name="text"/>, so the diff cannot close it.</summary>
    private static string Fence(string text) => new('`', Math.Max(3, Backticks().Matches(text).Select(m => m.Length + 1).DefaultIfEmpty(0).Max()));

    [GeneratedRegex("`+")]
    private static partial Regex Backticks();
}
