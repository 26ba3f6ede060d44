using System.Collections.Immutable;
using System.Globalization;

namespace Flotilla.Core.Placement;

/// <summary>
/// Turns a <see cref="PlacementDecision"/> into table rows: selected clusters first, then the rest, each group by
/// name. A score of "-" means the cluster did not pass the filters, so it was never scored.
/// </summary>
public static class PlacementExplainer
{
    public static IReadOnlyList<string> Headers { get; } = ["CLUSTER", "SELECTED", "SCORE", "REASON"];

    /// <summary>Every cluster's row, or only <paramref name="cluster"/>'s (none when the decision does not know it).</summary>
    public static ImmutableArray<ExplainRow> Rows(PlacementDecision decision, string? cluster = null) =>
        [.. decision.Outcomes
            .Where(o => cluster is null || o.Cluster == cluster)
            .OrderBy(o => o.Selected ? 0 : 1)
            .ThenBy(o => o.Cluster, StringComparer.Ordinal)
            .Select(o => new ExplainRow(
                o.Cluster,
                o.Selected ? "yes" : "no",
                o.Score?.ToString(CultureInfo.InvariantCulture) ?? "-",
                o.Reason ?? ""))];
}
