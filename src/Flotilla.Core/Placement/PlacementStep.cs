namespace Flotilla.Core.Placement;

/// <summary>The step that kept a cluster out, in the order the engine applies them; lets status count reasons per step.</summary>
public enum PlacementStep
{
    /// <summary>matchLabels / matchExpressions did not match.</summary>
    LabelSelector,
    /// <summary>A requirement on observed facts (version, node count, property) did not hold.</summary>
    FactSelector,
    /// <summary>A taint was not tolerated (or, for PreferNoSelect, other clusters fit).</summary>
    Taint,
    /// <summary>The topology spread constraint: no topology label, or its domain already has maxSkew more than the smallest.</summary>
    Spread,
    /// <summary>Feasible, but not among the numberOfClusters best scores.</summary>
    Score,
}
