namespace Flotilla.Core.Placement;

/// <summary>
/// Picks clusters in rank order under a topology spread: a domain (one value of the topology label) may take one
/// more only while it would then hold at most maxSkew more than the domain holding fewest. Domains count from the
/// start even when their candidates run out, as Kubernetes' DoNotSchedule does, so a region with one cluster
/// limits the others to 1 + maxSkew. Each step takes the best-ranked head among the domains allowed to grow:
/// O(picks × domains), and there are few domains.
/// </summary>
internal static class SpreadSelector
{
    /// <summary>
    /// <paramref name="ranked"/>: candidate cluster indices, best first. <paramref name="domainOf"/>: each cluster's
    /// label value. Marks <paramref name="selected"/>, and for every candidate left out because of the spread sets its
    /// <paramref name="reasons"/> entry; candidates left out by <paramref name="limit"/> keep a null reason.
    /// </summary>
    public static void Select(ReadOnlySpan<int> ranked, Func<int, string> domainOf, SpreadSpec spread, int limit, bool[] selected, string?[] reasons)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var cluster in ranked) names.Add(domainOf(cluster));
        var domains = names.ToArray();
        var id = new Dictionary<string, int>(domains.Length, StringComparer.Ordinal);
        for (var d = 0; d < domains.Length; d++) id[domains[d]] = d;

        // Queues of rank positions per domain, each in rank order: domain d holds queue[start[d] .. start[d + 1]).
        var domainOfPosition = new int[ranked.Length];
        var start = new int[domains.Length + 1];
        for (var p = 0; p < ranked.Length; p++) start[(domainOfPosition[p] = id[domainOf(ranked[p])]) + 1]++;
        for (var d = 0; d < domains.Length; d++) start[d + 1] += start[d];
        var head = start[..^1];
        var fill = (int[])head.Clone();
        var queue = new int[ranked.Length];
        for (var p = 0; p < ranked.Length; p++) queue[fill[domainOfPosition[p]]++] = p;

        var placed = new int[domains.Length];
        for (var picked = 0; picked < limit; picked++)
        {
            var min = Min(placed);
            var best = -1;
            for (var d = 0; d < domains.Length; d++)
                if (head[d] < start[d + 1] && placed[d] + 1 - min <= spread.MaxSkew && (best < 0 || queue[head[d]] < queue[head[best]]))
                    best = d;
            if (best < 0) break;
            selected[ranked[queue[head[best]++]]] = true;
            placed[best]++;
        }

        var least = Array.IndexOf(placed, Min(placed));
        for (var d = 0; d < domains.Length; d++)
        {
            if (placed[d] + 1 - placed[least] <= spread.MaxSkew) continue;
            var reason = $"spread: {spread.TopologyKey}={domains[d]} already has {placed[d]}, maxSkew {spread.MaxSkew} ({spread.TopologyKey}={domains[least]} has {placed[least]})";
            for (var k = head[d]; k < start[d + 1]; k++) reasons[ranked[queue[k]]] = reason;
        }
    }

    private static int Min(int[] values)
    {
        var min = int.MaxValue;
        foreach (var value in values) min = Math.Min(min, value);
        return min;
    }
}
