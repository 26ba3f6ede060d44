namespace Flotilla.Core.Placement;

/// <summary>
/// A prioritizer as written: <see cref="Type"/> <c>Steady</c>, <c>LeastBundles</c> or <c>ClusterProperty</c>
/// (with <see cref="Property"/>, and <see cref="Prefer"/> <c>Highest</c> (default) or <c>Lowest</c>).
/// Each scores a cluster 0–100; the total is the weighted sum. <see cref="Weight"/> is -10…10, default 1.
/// </summary>
public sealed record PrioritizerSpec(string Type, int Weight = 1, string? Property = null, string? Prefer = null);
