using System.Collections.Immutable;
using Flotilla.Core.Dependencies;

namespace Flotilla.Core.Tests.Dependencies;

public sealed class DependencyGraphTests
{
    private static DependencyGraph Graph(params (string Key, string[] DependsOn)[] edges) =>
        new(edges.ToDictionary(e => e.Key, e => e.DependsOn.ToImmutableArray(), StringComparer.Ordinal));

    [Fact]
    public void Dependents_are_direct_and_transitive_by_key_without_repeats()
    {
        var graph = Graph(("n/crds", []), ("n/operator", ["n/crds"]), ("n/app", ["n/operator", "n/crds"]), ("n/z", ["n/crds", "n/crds"]));

        Assert.Equal(["n/app", "n/operator", "n/z"], graph.DependentsOf("n/crds").ToArray());
        Assert.Equal(["n/app"], graph.TransitiveDependentsOf("n/operator").ToArray());
        Assert.Equal(["n/app", "n/operator", "n/z"], graph.TransitiveDependentsOf("n/crds").ToArray());
        Assert.Equal(["n/crds"], graph.DependenciesOf("n/z").ToArray());
        Assert.True(graph.Reaches("n/app", "n/crds"));
        Assert.False(graph.Reaches("n/crds", "n/app"));
    }

    [Fact]
    public void A_bundle_outside_a_cycle_is_in_none_and_an_unknown_bundle_has_no_edges()
    {
        var graph = Graph(("n/a", ["n/b"]), ("n/b", ["n/a"]), ("n/c", ["n/a", "n/missing"]));

        Assert.True(graph.CycleThrough("n/c").IsEmpty);
        Assert.True(graph.CycleThrough("n/missing").IsEmpty);
        Assert.False(graph.Contains("n/missing"));
        Assert.Empty(graph.DependenciesOf("n/missing").ToArray());
        Assert.Equal(["n/c"], graph.TransitiveDependentsOf("n/missing").ToArray());
        Assert.Equal(["n/a", "n/b", "n/c"], graph.TransitiveDependentsOf("n/a").ToArray());
    }

    [Fact]
    public void A_long_chain_is_walked_without_recursion()
    {
        var edges = Enumerable.Range(0, 5000).Select(i => ($"n/b{i}", i == 4999 ? new[] { "n/b0" } : [$"n/b{i + 1}"])).ToArray();
        var graph = Graph(edges);

        Assert.Equal(5001, graph.CycleThrough("n/b0").Length);
        Assert.Equal(5000, graph.TransitiveDependentsOf("n/b0").Length);
    }
}
