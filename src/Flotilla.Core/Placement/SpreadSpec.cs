namespace Flotilla.Core.Placement;

/// <summary>
/// Spread over the values of the label <see cref="TopologyKey"/> (a region, a zone): no value may hold more than
/// <see cref="MaxSkew"/> clusters beyond the value holding fewest (Kubernetes' topology spread with DoNotSchedule).
/// </summary>
public sealed record SpreadSpec(string TopologyKey, int MaxSkew = 1);
