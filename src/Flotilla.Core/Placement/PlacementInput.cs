namespace Flotilla.Core.Placement;

/// <summary>
/// Everything a placement decision reads besides its spec. <see cref="Now"/> is passed in because Core has no clock.
/// Cluster names must be unique; clusters already sorted by name (ordinal) save the engine a sort.
/// </summary>
public sealed record PlacementInput(IReadOnlyList<ClusterFacts> Clusters, DateTimeOffset Now)
{
    /// <summary>The clusters the bundle is placed on now (its last decision); names of clusters that left are ignored.</summary>
    public IReadOnlySet<string> Current { get; init; } = EmptySet;

    /// <summary>How many <em>other</em> bundles each cluster holds (for <c>LeastBundles</c>); a missing cluster counts 0.</summary>
    public IReadOnlyDictionary<string, int> BundleCounts { get; init; } = EmptyCounts;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
    private static readonly IReadOnlyDictionary<string, int> EmptyCounts = new Dictionary<string, int>();
}
