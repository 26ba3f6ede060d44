using System.Collections.Immutable;
using System.Globalization;

namespace Flotilla.Core.Placement;

/// <summary>
/// Scores the clusters that passed the filters: each prioritizer gives 0–100, normalised over those clusters only
/// (the range of bundle counts or of a property among the candidates), and the total is the weighted sum. Integer
/// arithmetic, so the same inputs always give the same ranking.
/// </summary>
internal static class ClusterScorer
{
    /// <summary>Fills <paramref name="totals"/> (one per entry of <paramref name="feasible"/>) with the weighted sums.</summary>
    public static void Score(ImmutableArray<Prioritizer> prioritizers, ClusterFacts[] clusters, bool[] isCurrent, ReadOnlySpan<int> feasible,
        IReadOnlyDictionary<string, int> bundleCounts, Span<int> totals)
    {
        totals.Clear();
        var values = new decimal[feasible.Length];
        var known = new bool[feasible.Length];
        foreach (var prioritizer in prioritizers)
        {
            switch (prioritizer.Kind)
            {
                case PrioritizerKind.Steady:
                    for (var i = 0; i < feasible.Length; i++)
                        if (isCurrent[feasible[i]]) totals[i] += prioritizer.Weight * 100;
                    continue;
                case PrioritizerKind.LeastBundles:
                    for (var i = 0; i < feasible.Length; i++)
                    {
                        values[i] = bundleCounts.TryGetValue(clusters[feasible[i]].Name, out var count) ? count : 0;
                        known[i] = true;
                    }
                    AddNormalised(values, known, preferHighest: false, prioritizer.Weight, totals);
                    continue;
                case PrioritizerKind.ClusterProperty:
                    for (var i = 0; i < feasible.Length; i++)
                        known[i] = clusters[feasible[i]].Properties.TryGetValue(prioritizer.Property!, out var text)
                            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out values[i]);
                    AddNormalised(values, known, prioritizer.PreferHighest, prioritizer.Weight, totals);
                    continue;
            }
        }
    }

    /// <summary>The preferred end of the known values scores 100, the other end 0; all equal scores 100; unknown 0.</summary>
    private static void AddNormalised(decimal[] values, bool[] known, bool preferHighest, int weight, Span<int> totals)
    {
        decimal? min = null, max = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (!known[i]) continue;
            if (min is null || values[i] < min) min = values[i];
            if (max is null || values[i] > max) max = values[i];
        }
        if (min is null) return;
        var range = max!.Value - min.Value;
        for (var i = 0; i < values.Length; i++)
        {
            if (!known[i]) continue;
            var distance = preferHighest ? values[i] - min.Value : max.Value - values[i];
            var score = range == 0 ? 100 : (int)decimal.Floor(100 * distance / range);
            totals[i] += weight * score;
        }
    }
}
