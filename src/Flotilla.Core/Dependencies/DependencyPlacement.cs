namespace Flotilla.Core.Dependencies;

/// <summary>Where one bundle stands with one cluster, as its last reconcile decided.</summary>
public enum DependencyPlacement
{
    /// <summary>Not placed there, and nothing of it left there.</summary>
    NotPlaced,

    /// <summary>Placed there: synced to its revision.</summary>
    Placed,

    /// <summary>Its objects there are being removed (it left the placement, or the bundle is being deleted).</summary>
    Leaving,
}
