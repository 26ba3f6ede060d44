using System.Collections.Immutable;

namespace Flotilla.Core.Dependencies;

/// <summary>
/// The <c>dependsOn</c> edges between bundles (keys <c>namespace/name</c>), as the hub knows them: a bundle is in the
/// graph when it exists on the hub. Answers which cycle a bundle is in (the shortest, found breadth-first with each
/// bundle's dependencies in declared order, so the same edges always give the same path) and who depends on whom.
/// </summary>
public sealed class DependencyGraph
{
    private readonly ImmutableSortedDictionary<string, ImmutableArray<string>> _dependsOn;
    private readonly ImmutableSortedDictionary<string, ImmutableArray<string>> _dependents;

    public DependencyGraph(IReadOnlyDictionary<string, ImmutableArray<string>> dependsOn)
    {
        _dependsOn = dependsOn.ToImmutableSortedDictionary(e => e.Key, e => e.Value.Distinct(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
        _dependents = _dependsOn
            .SelectMany(e => e.Value.Select(d => (Dependency: d, Dependent: e.Key)))
            .GroupBy(p => p.Dependency, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Select(p => p.Dependent).Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
    }

    public static readonly DependencyGraph Empty = new(ImmutableDictionary<string, ImmutableArray<string>>.Empty);

    /// <summary>True when <paramref name="key"/> is on the hub.</summary>
    public bool Contains(string key) => _dependsOn.ContainsKey(key);

    /// <summary>What <paramref name="key"/> depends on, in declared order, without repeats (empty for an unknown bundle).</summary>
    public ImmutableArray<string> DependenciesOf(string key) => _dependsOn.GetValueOrDefault(key, []);

    /// <summary>The bundles on the hub that name <paramref name="key"/> in their <c>dependsOn</c>, by key.</summary>
    public ImmutableArray<string> DependentsOf(string key) => _dependents.GetValueOrDefault(key, []);

    /// <summary>
    /// The shortest cycle through <paramref name="key"/>, starting and ending with it (<c>[a, b, a]</c>; a bundle that
    /// depends on itself: <c>[a, a]</c>), or empty when it is in none.
    /// </summary>
    public ImmutableArray<string> CycleThrough(string key)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(key);
        while (queue.TryDequeue(out var current))
        {
            foreach (var next in DependenciesOf(current))
            {
                if (next == key) return Path(parent, key, current);
                if (!parent.TryAdd(next, current)) continue;
                queue.Enqueue(next);
            }
        }
        return [];
    }

    /// <summary>True when <paramref name="from"/> depends on <paramref name="to"/>, directly or through others.</summary>
    public bool Reaches(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(DependenciesOf(from));
        while (stack.TryPop(out var current))
        {
            if (current == to) return true;
            if (!seen.Add(current)) continue;
            foreach (var next in DependenciesOf(current)) stack.Push(next);
        }
        return false;
    }

    /// <summary>Every bundle that depends on <paramref name="key"/> directly or through others, by key.</summary>
    public ImmutableArray<string> TransitiveDependentsOf(string key)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(DependentsOf(key));
        while (stack.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var next in DependentsOf(current)) stack.Push(next);
        }
        return [.. seen];
    }

    /// <summary>A cycle as people read it: <c>ns/a -> ns/b -> ns/a</c>.</summary>
    public static string Describe(ImmutableArray<string> cycle) => string.Join(" -> ", cycle);

    private static ImmutableArray<string> Path(Dictionary<string, string> parent, string key, string last)
    {
        var path = new List<string> { key };
        for (var at = last; at != key; at = parent[at]) path.Add(at);
        path.Add(key);
        path.Reverse();
        return [.. path];
    }
}
