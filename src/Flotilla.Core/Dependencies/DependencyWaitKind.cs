namespace Flotilla.Core.Dependencies;

/// <summary>Why a (bundle, cluster) pair may not go on now.</summary>
public enum DependencyWaitKind
{
    /// <summary>The bundle is in a dependency cycle: nothing is applied for it until the cycle is broken.</summary>
    Cycle,

    /// <summary>A dependency is not Ready on the cluster: the bundle is not applied there yet.</summary>
    DependencyNotReady,

    /// <summary>The bundle is leaving the cluster, and a bundle that depends on it must leave it first.</summary>
    DependentsFirst,
}
