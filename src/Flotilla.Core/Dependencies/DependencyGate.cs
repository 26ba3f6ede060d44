using System.Collections.Immutable;

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
    /// depends on it is leaving the same cluster and still has objects there (reverse order: the apps before the CRDs
    /// they use). A dependent that stays does not hold the removal, and neither does one in a cycle with the bundle
    /// (there is no order to keep, and waiting would never end).
    /// </summary>
    public static DependencyWait? ForRemoval(DependencyGraph graph, string bundle, string cluster, Func<string, DependencyObservation> observe)
    {
        ImmutableArray<string> first = [.. graph.DependentsOf(bundle)
            .Where(d => observe(d).Placement == DependencyPlacement.Leaving && !graph.Reaches(bundle, d))];
        if (first.IsEmpty) return null;
        var more = first.Length > 1 ? $" (and {first.Length - 1} more)" : "";
        return new(DependencyWaitKind.DependentsFirst, first[0], $"waiting for {first[0]}{more} to be removed from cluster {cluster} first: it depends on this bundle");
    }
}
