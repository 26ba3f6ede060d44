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
    /// <summary>
    /// Fills <paramref name="totals"/> (one per entry of <paramref name="feasible"/>) with the weighted sums; returns, per
    /// prioritizer, the range it normalised over (null for Steady, or when no candidate has a value).
    /// </summary>
    public static ScoreRange?[] Score(ImmutableArray<Prioritizer> prioritizers, IReadOnlyList<ClusterFacts> clusters, bool[] isCurrent, ReadOnlySpan<int> feasible,
        IReadOnlyDictionary<string, int> bundleCounts, Span<int> totals)
    {
        totals.Clear();
        var ranges = new ScoreRange?[prioritizers.Length];
        var values = new decimal[feasible.Length];
        var known = new bool[feasible.Length];
        for (var p = 0; p < prioritizers.Length; p++)
        {
            var prioritizer = prioritizers[p];
            if (prioritizer.Kind == PrioritizerKind.Steady)
            {
                for (var i = 0; i < feasible.Length; i++)
                    if (isCurrent[feasible[i]]) totals[i] += prioritizer.Weight * 100;
                continue;
            }
            for (var i = 0; i < feasible.Length; i++) known[i] = TryValue(prioritizer, clusters[feasible[i]], bundleCounts, out values[i]);
            ranges[p] = RangeOf(values, known);
            if (ranges[p] is not { } range) continue;
            for (var i = 0; i < feasible.Length; i++)
                if (known[i]) totals[i] += prioritizer.Weight * Normalised(values[i], range, PrefersHighest(prioritizer));
        }
        return ranges;
    }

    /// <summary>One cluster's total given the ranges <see cref="Score"/> returned: what <see cref="Score"/> gives it while those ranges hold.</summary>
    public static int ScoreOne(ImmutableArray<Prioritizer> prioritizers, ScoreRange?[] ranges, ClusterFacts cluster, bool current, IReadOnlyDictionary<string, int> bundleCounts)
    {
        var total = 0;
        for (var p = 0; p < prioritizers.Length; p++)
        {
            var prioritizer = prioritizers[p];
            if (prioritizer.Kind == PrioritizerKind.Steady) total += current ? prioritizer.Weight * 100 : 0;
            else if (ranges[p] is { } range && TryValue(prioritizer, cluster, bundleCounts, out var value))
                total += prioritizer.Weight * Normalised(value, range, PrefersHighest(prioritizer));
        }
        return total;
    }

    /// <summary>The value a normalised prioritizer reads from a cluster: its bundle count (0 when missing), or a numeric property.</summary>
    public static bool TryValue(Prioritizer prioritizer, ClusterFacts cluster, IReadOnlyDictionary<string, int> bundleCounts, out decimal value)
    {
        (var known, value) = prioritizer.Kind switch
        {
            PrioritizerKind.LeastBundles => (true, bundleCounts.TryGetValue(cluster.Name, out var count) ? count : 0m),
            PrioritizerKind.ClusterProperty => cluster.Properties.TryGetValue(prioritizer.Property!, out var text)
                && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? (true, number) : (false, 0m),
            PrioritizerKind.Steady => throw new InvalidOperationException("Steady reads no value"),
        };
        return known;
    }

    // LeastBundles prefers the fewest bundles whatever its compiled preference says.
    private static bool PrefersHighest(Prioritizer prioritizer) => prioritizer.Kind != PrioritizerKind.LeastBundles && prioritizer.PreferHighest;

    private static ScoreRange? RangeOf(decimal[] values, bool[] known)
    {
        ScoreRange? range = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (!known[i]) continue;
            var value = values[i];
            if (range is not { } r) range = new ScoreRange(value, value, 1, 1);
            else if (value < r.Min) range = r with { Min = value, AtMin = 1 };
            else if (value > r.Max) range = r with { Max = value, AtMax = 1 };
            else range = r.With(value);
        }
        return range;
    }

    /// <summary>The preferred end of the range scores 100, the other end 0; a range of one value scores 100.</summary>
    private static int Normalised(decimal value, ScoreRange range, bool preferHighest)
    {
        var width = range.Max - range.Min;
        if (width == 0) return 100;
        var distance = preferHighest ? value - range.Min : range.Max - value;
        return (int)decimal.Floor(100 * distance / width);
    }
}
