namespace Flotilla.Core.Placement;

/// <summary>The prioritizers the engine knows.</summary>
internal enum PrioritizerKind
{
    /// <summary>100 for a cluster the bundle is on now, 0 otherwise: joining clusters do not displace current ones.</summary>
    Steady,
    /// <summary>100 for the fewest other bundles among the feasible clusters, 0 for the most, linear between.</summary>
    LeastBundles,
    /// <summary>A numeric custom property, 100 for the preferred end of the feasible clusters' range; 0 when missing.</summary>
    ClusterProperty,
}

/// <summary>A compiled prioritizer; its 0–100 score is multiplied by <see cref="Weight"/>.</summary>
internal sealed record Prioritizer(PrioritizerKind Kind, int Weight, string? Property, bool PreferHighest);
