namespace Flotilla.Core.Dependencies;

/// <summary>
/// The two per-cluster gates of <c>dependsOn</c> (rules in this folder's README). Each returns null when the pair may
/// go on now, or the <see cref="DependencyWait"/> that holds it.
/// </summary>
public static class DependencyGate
{
    /// <summary>
    /// May <paramref name="bundle"/> be applied on <paramref name="cluster"/>? Not when it is in a cycle, nor while any
    /// dependency (in declared order; the first not Ready is named) is not Ready there.
    /// </summary>
    public static DependencyWait? ForSync(DependencyGraph graph, string bundle, string cluster, Func<string, DependencyObservation> observe)
    {
        if (graph.CycleThrough(bundle) is { IsEmpty: false } cycle)
            return new(DependencyWaitKind.Cycle, null, $"dependency cycle {DependencyGraph.Describe(cycle)}: nothing is applied until it is broken");
        foreach (var dependency in graph.DependenciesOf(bundle))
        {
            var (state, detail) = DependencyReadiness.Of(observe(dependency));
            if (state != DependencyState.Ready)
                return new(DependencyWaitKind.DependencyNotReady, dependency, $"waiting for dependency {dependency} on cluster {cluster}: {detail}");
        }
        return null;
    }

    /// <summary>
    /// May <paramref name="bundle"/>'s objects be removed from <paramref name="cluster"/> now? Not while a bundle that
    /// depends on it still has objects there, leaving too (reverse order: the apps before the CRDs they use) or staying
    /// (removing a CRD would take the custom resources of the bundle that stays with it: that bundle must go, or drop the
    /// dependency, first). A dependent in a cycle with the bundle does not hold it (there is no order to keep, and
    /// waiting would never end).
    /// </summary>
    public static DependencyWait? ForRemoval(DependencyGraph graph, string bundle, string cluster, Func<string, DependencyObservation> observe)
    {
        var holding = graph.DependentsOf(bundle)
            .Select(d => (Key: d, observe(d).Placement))
            .Where(d => d.Placement != DependencyPlacement.NotPlaced && !graph.Reaches(bundle, d.Key))
            .ToList();
        if (holding.Count == 0) return null;
        var (first, placement) = holding[0];
        var more = holding.Count > 1 ? $" (and {holding.Count - 1} more)" : "";
        return new(DependencyWaitKind.DependentsFirst, first, placement == DependencyPlacement.Leaving
            ? $"waiting for {first}{more} to be removed from cluster {cluster} first: it depends on this bundle"
            : $"{first}{more} depends on this bundle and stays on cluster {cluster}: remove it from there, or drop this bundle from its dependsOn");
    }
}
