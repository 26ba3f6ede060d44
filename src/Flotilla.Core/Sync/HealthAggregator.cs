using Flotilla.Core.Health;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// Health of many objects and of a cluster as a whole: the worst object wins (Degraded, Missing, Unknown,
/// Progressing, Healthy), named in the message. A cluster that did not sync (Failed, Unreachable, Pending,
/// Removing, DependencyNotReady) is never Healthy, whatever its objects last said.
/// </summary>
public static class HealthAggregator
{
    /// <summary>
    /// The worst of <paramref name="assessed"/> (each object with its <see cref="HealthAssessor.Assess"/>), named in the
    /// message. An object that should exist and does not is assessed Missing.
    /// </summary>
    public static HealthAssessment Worst(IEnumerable<(ObjectRef Ref, HealthAssessment Health)> assessed)
    {
        var worst = new HealthAssessment(HealthStatus.Healthy, "");
        foreach (var (reference, health) in assessed)
            if (Rank(health.Status) > Rank(worst.Status)) worst = health with { Message = $"{Describe(reference)}: {health.Message}" };
        return worst;
    }

    /// <summary>The health a cluster reports for a bundle given its sync phase.</summary>
    public static HealthStatus OfCluster(SyncPhase phase, HealthStatus objects) => phase switch
    {
        SyncPhase.Synced or SyncPhase.OutOfSync => objects,
        SyncPhase.Failed or SyncPhase.Unreachable or SyncPhase.Pending or SyncPhase.Removing or SyncPhase.DependencyNotReady => HealthStatus.Unknown,
    };

    /// <summary>Worse first: Degraded, Missing, Unknown, Progressing, Healthy.</summary>
    public static int Rank(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Progressing => 1,
        HealthStatus.Unknown => 2,
        HealthStatus.Missing => 3,
        HealthStatus.Degraded => 4,
    };

    private static string Describe(ObjectRef r) => $"{r.Kind}/{(r.Namespace.Length > 0 ? r.Namespace + "/" : "")}{r.Name}";
}
