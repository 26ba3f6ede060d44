namespace Flotilla.Core.Dependencies;

/// <summary>Why a dependency is, or is not, Ready on one cluster (<see cref="DependencyReadiness"/>).</summary>
public enum DependencyState
{
    /// <summary>Applied there at the revision the hub wants there, synced and Healthy.</summary>
    Ready,

    /// <summary>No such bundle on the hub.</summary>
    NotFound,

    /// <summary>The bundle is being deleted.</summary>
    Deleting,

    /// <summary>Suspended before it was ever reconciled by this hub.</summary>
    Suspended,

    /// <summary>The bundle has a problem of its own (render failed, invalid spec, a cycle …).</summary>
    BundleProblem,

    /// <summary>Not placed on the cluster, or leaving it.</summary>
    NotPlaced,

    /// <summary>Placed but not applied yet (no result, or its rollout has not given the cluster a revision).</summary>
    NotSynced,

    /// <summary>It waits for dependencies of its own there.</summary>
    Waiting,

    /// <summary>Its last sync there failed or could not reach the cluster.</summary>
    Failed,

    /// <summary>Applied, but on an older revision or not Healthy yet.</summary>
    Progressing,
}
