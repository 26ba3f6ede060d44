using System.Collections.Immutable;
namespace Flotilla.Core.Placement;

/// <summary>
/// Places one bundle on the fleet: filter (label selector → fact selector → taints → topology label), score the
/// rest with the prioritizers, then decide (numberOfClusters, spread; ties broken by name). Every cluster gets an
/// outcome: its score if it passed the filters, and the first reason if it was left out. Pure and deterministic:
/// the same spec and input give the same decision, whatever the order of the input clusters.
/// </summary>
public static class PlacementEngine
{
    // Rank keys pack (avoided, inverted score, name position) into one long, so ranking is a primitive sort.
    private const int PositionBits = 24;

    /// <summary>
    /// Decides where the bundle goes. Throws <see cref="ArgumentException"/> for a spec that
    /// <see cref="PlacementSpec.Validate"/> rejects (the hub reports those as Stalled and does not call this),
    /// for duplicate cluster names, or for more than 16 million clusters.
    /// </summary>
    public static PlacementDecision Decide(PlacementSpec spec, PlacementInput input) =>
        Decide(Compile(spec), SortedByName(input.Clusters), input, out _);

    /// <summary>The compiled spec; throws as <see cref="Decide(PlacementSpec, PlacementInput)"/> does for an invalid one.</summary>
    internal static PlacementRules Compile(PlacementSpec spec) =>
        PlacementRules.Compile(spec, out var errors) ?? throw new ArgumentException($"invalid placement: {string.Join("; ", errors)}", nameof(spec));

    /// <summary>Decides over <paramref name="clusters"/> (ordinal by name, names unique), counting what <see cref="PlacementSnapshot"/> needs.</summary>
    internal static PlacementDecision Decide(PlacementRules rules, IReadOnlyList<ClusterFacts> clusters, PlacementInput input, out DecisionTally tally)
    {
        var n = clusters.Count;
        var steps = new PlacementStep?[n];
        var reasons = new string?[n];
        var avoided = new ClusterTaint?[n];
        var isCurrent = new bool[n];
        DateTimeOffset? recheck = null;
        var (graced, atRecheck, preferred) = (0, 0, 0);

        var feasible = new int[n];
        var feasibleCount = 0;
        for (var i = 0; i < n; i++)
        {
            var cluster = clusters[i];
            var current = isCurrent[i] = input.Current.Contains(cluster.Name);
            if (Filter(rules, cluster, current, input.Now, out var step, out var reason, out avoided[i]) is { } grace)
            {
                graced++;
                if (recheck is null || grace < recheck) (recheck, atRecheck) = (grace, 1);
                else if (grace == recheck) atRecheck++;
            }
            if (reason is null && avoided[i] is null) preferred++;
            if (reason is null) feasible[feasibleCount++] = i;
            else (steps[i], reasons[i]) = (step, reason);
        }

        var scores = new int[feasibleCount];
        var ranges = ClusterScorer.Score(rules.Prioritizers, clusters, isCurrent, feasible.AsSpan(0, feasibleCount), input.BundleCounts, scores);
        var scoreOf = new int?[n];
        for (var f = 0; f < feasibleCount; f++) scoreOf[feasible[f]] = scores[f];

        var ranked = Rank(rules, feasible.AsSpan(0, feasibleCount), scores, avoided);
        var candidates = ranked.AsSpan();
        var anyPreferred = ranked.Length > 0 && avoided[ranked[0]] is null;
        if (rules.NumberOfClusters is null && anyPreferred)
        {
            // "All that fit" means all the clusters that do not prefer to be avoided, when there are any.
            var firstAvoided = 0;
            while (firstAvoided < ranked.Length && avoided[ranked[firstAvoided]] is null) firstAvoided++;
            candidates = candidates[..firstAvoided];
        }

        var selected = new bool[n];
        var limit = rules.NumberOfClusters ?? int.MaxValue;
        if (rules.Spread is { } spread)
            SpreadSelector.Select(candidates, i => clusters[i].Labels[spread.TopologyKey], spread, limit, selected, reasons);
        else
            for (var p = 0; p < Math.Min(limit, candidates.Length); p++) selected[candidates[p]] = true;

        foreach (var i in ranked)
        {
            if (selected[i]) continue;
            if (reasons[i] is not null) steps[i] = PlacementStep.Spread;
            else if (avoided[i] is { } taint) (steps[i], reasons[i]) = (PlacementStep.Taint, $"taint {taint} not tolerated and other clusters fit");
            else (steps[i], reasons[i]) = (PlacementStep.Score, $"not among the {limit} highest scores (score {scoreOf[i]})");
        }

        var chosen = ImmutableArray.CreateBuilder<string>();
        var outcomes = ImmutableArray.CreateBuilder<ClusterOutcome>(n);
        for (var i = 0; i < n; i++)
        {
            if (selected[i]) chosen.Add(clusters[i].Name);
            outcomes.Add(new ClusterOutcome(clusters[i].Name, selected[i], scoreOf[i], steps[i], reasons[i]));
        }
        tally = new DecisionTally(preferred, ranges, graced, atRecheck);
        return new PlacementDecision(chosen.ToImmutable(), outcomes.MoveToImmutable(), recheck);
    }

    /// <summary>Sets the first reason the cluster is kept out (null if none); returns when a grace period it relies on ends.</summary>
    internal static DateTimeOffset? Filter(PlacementRules rules, ClusterFacts cluster, bool current, DateTimeOffset now,
        out PlacementStep step, out string? reason, out ClusterTaint? avoided)
    {
        avoided = null;
        var labels = rules.Labels.Requirements;
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r].Matches(cluster.Labels)) continue;
            (step, reason) = (PlacementStep.LabelSelector, rules.LabelReasons[r]);
            return null;
        }
        foreach (var requirement in rules.Facts)
        {
            if (requirement.Check(cluster) is not { } failed) continue;
            (step, reason) = (PlacementStep.FactSelector, failed);
            return null;
        }
        var verdict = TaintEvaluator.Evaluate(rules.Tolerations, cluster, current, now);
        if (verdict.Rejection is not null)
        {
            (step, reason) = (PlacementStep.Taint, verdict.Rejection);
            return null;
        }
        if (rules.Spread is { } spread && !cluster.Labels.ContainsKey(spread.TopologyKey))
        {
            (step, reason) = (PlacementStep.Spread, $"spread: no {spread.TopologyKey} label");
            return null;
        }
        (step, reason, avoided) = (default, null, verdict.Avoid);
        return verdict.GraceUntil;
    }

    /// <summary>Feasible cluster indices, best first: not avoided before avoided, then higher score, then name.</summary>
    private static int[] Rank(PlacementRules rules, ReadOnlySpan<int> feasible, int[] scores, ClusterTaint?[] avoided)
    {
        var offset = 0L;
        foreach (var prioritizer in rules.Prioritizers) offset += Math.Abs(prioritizer.Weight) * 100L;
        var keys = new long[feasible.Length];
        for (var f = 0; f < feasible.Length; f++)
        {
            var tier = avoided[feasible[f]] is null ? 0L : 1L;
            keys[f] = (tier << 62) | ((offset - scores[f]) << PositionBits) | (uint)feasible[f];
        }
        Array.Sort(keys);
        var ranked = new int[keys.Length];
        for (var f = 0; f < keys.Length; f++) ranked[f] = (int)(keys[f] & ((1L << PositionBits) - 1));
        return ranked;
    }

    /// <summary>The clusters ordinal by name (a copy only when the input is not already in that order).</summary>
    internal static ClusterFacts[] SortedByName(IReadOnlyList<ClusterFacts> clusters)
    {
        if (clusters.Count >= 1 << PositionBits) throw new ArgumentException($"{clusters.Count} clusters is more than the engine ranks", nameof(clusters));
        var sorted = clusters.ToArray();
        if (!InNameOrder(sorted)) Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i - 1].Name == sorted[i].Name) throw new ArgumentException($"cluster {sorted[i].Name} is listed twice", nameof(clusters));
        return sorted;
    }

    /// <summary>True when the names are strictly increasing, ordinal.</summary>
    internal static bool InNameOrder(IReadOnlyList<ClusterFacts> clusters)
    {
        for (var i = 1; i < clusters.Count; i++)
            if (string.CompareOrdinal(clusters[i - 1].Name, clusters[i].Name) >= 0) return false;
        return true;
    }
}
