using System.Collections.Immutable;

namespace Flotilla.Core.Placement;

/// <summary>
/// A placement decision together with what it was decided from, so that when a few clusters change (a relabel, a
/// taint, a cluster going unavailable) the bundle is re-decided without filtering the thousands that did not.
/// <see cref="Redecide"/> always returns what <see cref="PlacementEngine.Decide(PlacementSpec, PlacementInput)"/> would;
/// it takes the short path only where that is provably the same, and decides in full everywhere else.
/// </summary>
/// <remarks>
/// The short path covers placements without <c>numberOfClusters</c> and without spread: their selection is exactly the
/// clusters passing the filters (the avoided ones only when no other fits), so only the changed clusters' filter outcome
/// and score need computing. With <c>numberOfClusters</c> or spread it covers only clusters the filters keep out both
/// before and after the change (a relabel outside the selector), and clusters that pass both times with the same
/// avoiding taint, current flag, prioritizer values and topology domain (a current cluster going unavailable within its
/// toleration grace): every rank stays; and unchosen clusters that no longer pass the filters (a cluster going
/// unavailable or tainted where the bundle is not), as long as, with spread, their domain keeps a chosen cluster. It decides in full when the fleet's names differ, when the input is not in name order, when
/// time went back or a toleration grace ended (<see cref="PlacementDecision.RecheckAt"/> passed), when the last
/// non-avoided cluster left or the first arrived, when a prioritizer's range moved (every score moves), or when the
/// earliest grace left and the next one is not known.
/// </remarks>
public sealed class PlacementSnapshot
{
    private readonly PlacementRules _rules;
    private readonly IReadOnlyList<ClusterFacts> _clusters;
    private readonly PlacementInput _input;
    private readonly DecisionTally _tally;

    private PlacementSnapshot(PlacementRules rules, IReadOnlyList<ClusterFacts> clusters, PlacementInput input, PlacementDecision decision, DecisionTally tally, bool incremental)
    {
        (_rules, _clusters, _input, _tally) = (rules, clusters, input, tally);
        Decision = decision;
        Incremental = incremental;
    }

    public PlacementDecision Decision { get; }

    /// <summary>True when <see cref="Redecide"/> took the short path for this decision (for metrics and benchmarks).</summary>
    public bool Incremental { get; }

    /// <summary>Decides in full, as <see cref="PlacementEngine.Decide(PlacementSpec, PlacementInput)"/> does (and throws as it does), and keeps what the next decision can reuse.</summary>
    public static PlacementSnapshot Take(PlacementSpec spec, PlacementInput input) => Full(PlacementEngine.Compile(spec), input);

    /// <summary>
    /// The decision for <paramref name="input"/>, which must differ from this snapshot's input only in the clusters named in
    /// <paramref name="changed"/> (their facts, whether the bundle is on them, their bundle count) and in its time. The
    /// caller vouches for the rest: a cluster that changed but is not named keeps its old outcome. Names not in the
    /// fleet, or a fleet that gained or lost clusters, make it decide in full.
    /// </summary>
    public PlacementSnapshot Redecide(PlacementInput input, IReadOnlyCollection<string> changed) =>
        ShortPath(input, changed) ?? Full(_rules, input);

    private static PlacementSnapshot Full(PlacementRules rules, PlacementInput input)
    {
        var clusters = PlacementEngine.SortedByName(input.Clusters);
        var decision = PlacementEngine.Decide(rules, clusters, input, out var tally);
        return new PlacementSnapshot(rules, clusters, input, decision, tally, incremental: false);
    }

    private PlacementSnapshot? ShortPath(PlacementInput input, IReadOnlyCollection<string> changed)
    {
        // With numberOfClusters or spread every feasible cluster's rank matters: only a cluster filtered out before and after,
        // one that passes both times and ranks exactly as before, or an unchosen one that drops out, leaves the others' outcomes as they were.
        var ranked = _rules.NumberOfClusters is not null || _rules.Spread is not null;
        if (input.Clusters.Count != _clusters.Count || input.Now < _input.Now || Decision.RecheckAt <= input.Now) return null;
        // The changed clusters are found by position in the name-ordered fleet: an input in another order is decided in full.
        if (!PlacementEngine.InNameOrder(input.Clusters)) return null;

        var outcomes = Decision.Outcomes;
        var selected = Decision.Selected;
        var ranges = (ScoreRange?[])_tally.Ranges.Clone();
        var (preferred, graced, atRecheck) = (_tally.Preferred, _tally.Graced, _tally.AtRecheck);
        var recheck = Decision.RecheckAt;
        var updates = new List<(int Index, ClusterFacts Facts, bool Current, Filtered Now)>();
        foreach (var name in changed.Distinct(StringComparer.Ordinal))
        {
            var index = IndexOf(name);
            if (index < 0 || input.Clusters[index].Name != name) return null;
            var (before, after) = (_clusters[index], input.Clusters[index]);
            var (wasCurrent, isCurrent) = (_input.Current.Contains(name), input.Current.Contains(name));
            var old = Filter(before, wasCurrent, _input.Now);
            var now = Filter(after, isCurrent, input.Now);
            if (ranked && (old.Feasible || now.Feasible) && !RanksAlike(before, wasCurrent, old, after, isCurrent, now, input.BundleCounts)
                && !LeavesUnchosen(before, old, now, outcomes[index].Selected)) return null;

            preferred += (now.Feasible && now.Avoided is null ? 1 : 0) - (old.Feasible && old.Avoided is null ? 1 : 0);
            if (old.Grace is { } oldGrace)
            {
                graced--;
                if (oldGrace == recheck) atRecheck--;
            }
            if (now.Grace is { } grace)
            {
                graced++;
                if (recheck is null || grace < recheck) (recheck, atRecheck) = (grace, 1);
                else if (grace == recheck) atRecheck++;
            }
            if (graced == 0) (recheck, atRecheck) = (null, 0);
            else if (atRecheck == 0) return null;
            if (!MoveRanges(ranges, before, old.Feasible, _input.BundleCounts, after, now.Feasible, input.BundleCounts)) return null;
            updates.Add((index, after, isCurrent, now));
        }
        // Every avoided cluster is selected exactly when no feasible cluster is free of avoidance.
        if ((preferred > 0) != (_tally.Preferred > 0)) return null;

        var outcomeBuilder = default(ImmutableArray<ClusterOutcome>.Builder);
        var names = default(List<string>);
        foreach (var (index, facts, current, filtered) in updates)
        {
            var outcome = ranked && filtered.Feasible ? outcomes[index] : Outcome(facts, current, filtered, preferred > 0, ranges, input.BundleCounts);
            if (outcome.Equals(outcomes[index])) continue;
            outcomeBuilder ??= outcomes.ToBuilder();
            outcomeBuilder[index] = outcome;
            if (outcome.Selected == outcomes[index].Selected) continue;
            names ??= [.. selected];
            var at = names.BinarySearch(facts.Name, StringComparer.Ordinal);
            if (outcome.Selected) names.Insert(~at, facts.Name);
            else names.RemoveAt(at);
        }
        var decision = outcomeBuilder is null && recheck == Decision.RecheckAt
            ? Decision
            : new PlacementDecision(names is null ? selected : [.. names], outcomeBuilder?.MoveToImmutable() ?? outcomes, recheck);
        return new PlacementSnapshot(_rules, input.Clusters, input, decision, _tally with { Preferred = preferred, Ranges = ranges, Graced = graced, AtRecheck = atRecheck }, incremental: true);
    }

    /// <summary>
    /// True when a cluster passes the filters before and after and everything its rank reads is the same: the avoiding
    /// taint, whether the bundle is on it, each prioritizer's value and its topology domain. Its outcome then stays too.
    /// </summary>
    private bool RanksAlike(ClusterFacts before, bool wasCurrent, Filtered old, ClusterFacts after, bool isCurrent, Filtered now, IReadOnlyDictionary<string, int> counts)
    {
        if (!old.Feasible || !now.Feasible || old.Avoided != now.Avoided || wasCurrent != isCurrent) return false;
        if (_rules.Spread is { } spread && before.Labels[spread.TopologyKey] != after.Labels[spread.TopologyKey]) return false;
        foreach (var prioritizer in _rules.Prioritizers)
        {
            if (prioritizer.Kind == PrioritizerKind.Steady) continue;
            var wasKnown = ClusterScorer.TryValue(prioritizer, before, _input.BundleCounts, out var was);
            if (wasKnown != ClusterScorer.TryValue(prioritizer, after, counts, out var value) || was != value) return false;
        }
        return true;
    }

    /// <summary>
    /// True when a cluster that was not chosen no longer passes the filters: every cluster ranked above it still is, so
    /// the same ones are chosen, provided (with spread) its domain keeps a chosen cluster and so still counts as a domain.
    /// A prioritizer range it held an end of is caught by <see cref="MoveRanges"/>.
    /// </summary>
    private bool LeavesUnchosen(ClusterFacts before, Filtered old, Filtered now, bool wasSelected)
    {
        if (!old.Feasible || now.Feasible || wasSelected) return false;
        if (_rules.Spread is not { } spread) return true;
        var domain = before.Labels[spread.TopologyKey];
        foreach (var name in Decision.Selected)
            if (_clusters[IndexOf(name)].Labels[spread.TopologyKey] == domain) return true;
        return false;
    }

    /// <summary>Takes one cluster's old value out of each prioritizer's range and its new one in; false when a range moves.</summary>
    private bool MoveRanges(ScoreRange?[] ranges, ClusterFacts before, bool wasFeasible, IReadOnlyDictionary<string, int> oldCounts,
        ClusterFacts after, bool isFeasible, IReadOnlyDictionary<string, int> newCounts)
    {
        for (var p = 0; p < ranges.Length; p++)
        {
            var prioritizer = _rules.Prioritizers[p];
            if (prioritizer.Kind == PrioritizerKind.Steady) continue;
            var wasKnown = ClusterScorer.TryValue(prioritizer, before, oldCounts, out var old);
            var isKnown = ClusterScorer.TryValue(prioritizer, after, newCounts, out var value);
            // The same value in and out leaves the range as it was (taking it out first could empty an end for a moment).
            if (wasFeasible && isFeasible && wasKnown && isKnown && old == value) continue;
            if (wasFeasible && wasKnown)
            {
                if (ranges[p]?.Without(old) is not { } without) return false;
                ranges[p] = without;
            }
            if (isFeasible && isKnown)
            {
                if (ranges[p]?.With(value) is not { } with) return false;
                ranges[p] = with;
            }
        }
        return true;
    }

    /// <summary>The outcome the full path gives a cluster of a placement without numberOfClusters and spread.</summary>
    private ClusterOutcome Outcome(ClusterFacts cluster, bool current, Filtered filtered, bool anyPreferred, ScoreRange?[] ranges, IReadOnlyDictionary<string, int> counts)
    {
        if (!filtered.Feasible) return new ClusterOutcome(cluster.Name, false, null, filtered.Step, filtered.Reason);
        var score = ClusterScorer.ScoreOne(_rules.Prioritizers, ranges, cluster, current, counts);
        return filtered.Avoided is { } taint && anyPreferred
            ? new ClusterOutcome(cluster.Name, false, score, PlacementStep.Taint, $"taint {taint} not tolerated and other clusters fit")
            : new ClusterOutcome(cluster.Name, true, score, null, null);
    }

    private Filtered Filter(ClusterFacts cluster, bool current, DateTimeOffset now)
    {
        var grace = PlacementEngine.Filter(_rules, cluster, current, now, out var step, out var reason, out var avoided);
        return new Filtered(reason is null, step, reason, avoided, grace);
    }

    private int IndexOf(string name)
    {
        var (low, high) = (0, _clusters.Count - 1);
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var order = string.CompareOrdinal(_clusters[middle].Name, name);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    private readonly record struct Filtered(bool Feasible, PlacementStep Step, string? Reason, ClusterTaint? Avoided, DateTimeOffset? Grace);
}
