using Flotilla.Core.Health;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Dependencies;

/// <summary>
/// Whether a dependency is Ready on one cluster, and if not, why in a few words. Ready means: the bundle exists, has no
/// problem of its own, is placed on the cluster, and the cluster reports the revision the hub wants there applied,
/// synced (or only drifted, with drift set to Warn) and Healthy. The first failing rule is the one reported.
/// </summary>
public static class DependencyReadiness
{
    public static (DependencyState State, string Detail) Of(DependencyObservation dependency)
    {
        if (!dependency.Exists) return (DependencyState.NotFound, "no such bundle on the hub");
        if (dependency.Deleting) return (DependencyState.Deleting, "the bundle is being deleted");
        if (!dependency.Decided)
            return dependency.Suspended ? (DependencyState.Suspended, "the bundle is suspended") : (DependencyState.NotSynced, "not synced yet");
        if (dependency.Problem is { } problem) return (DependencyState.BundleProblem, problem);
        switch (dependency.Placement)
        {
            case DependencyPlacement.NotPlaced: return (DependencyState.NotPlaced, "not placed there");
            case DependencyPlacement.Leaving: return (DependencyState.NotPlaced, "being removed from there");
            case DependencyPlacement.Placed: break;
        }
        if (dependency.WantedRevision is not { } wanted) return (DependencyState.NotSynced, "its rollout has not reached the cluster");
        if (dependency.Phase is not { } phase) return (DependencyState.NotSynced, "not synced yet");
        return phase switch
        {
            SyncPhase.Pending => (DependencyState.NotSynced, "not synced yet"),
            SyncPhase.DependencyNotReady => (DependencyState.Waiting, "waiting for its own dependencies"),
            SyncPhase.Failed or SyncPhase.Unreachable or SyncPhase.Removing => (DependencyState.Failed, phase.ToString()),
            SyncPhase.Synced or SyncPhase.OutOfSync => dependency.AppliedRevision != wanted ? (DependencyState.Progressing, $"applying revision {Revisions.Short(wanted)}")
                : dependency.Health == HealthStatus.Healthy ? (DependencyState.Ready, "Ready")
                : (DependencyState.Progressing, dependency.Health.ToString()),
        };
    }
}
