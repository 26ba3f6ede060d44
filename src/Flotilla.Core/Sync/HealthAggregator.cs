using System.Text.Json.Nodes;
using Flotilla.Core.Health;

namespace Flotilla.Core.Sync;

/// <summary>
/// Health of many objects and of a cluster as a whole: the worst object wins (Degraded, Missing, Unknown,
/// Progressing, Healthy), named in the message. A cluster that did not sync (Failed, Unreachable, Pending,
/// Removing, DependencyNotReady) is never Healthy, whatever its objects last said.
/// </summary>
public static class HealthAggregator
{
    /// <summary>The worst health among <paramref name="objects"/> (null: an object that should exist and does not).</summary>
    public static HealthAssessment Worst(IEnumerable<JsonObject?> objects)
    {
        var worst = new HealthAssessment(HealthStatus.Healthy, "");
        foreach (var obj in objects)
        {
            var h = HealthAssessor.Assess(obj);
            if (Rank(h.Status) > Rank(worst.Status)) worst = h with { Message = $"{Describe(obj)}: {h.Message}" };
        }
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

    private static string Describe(JsonObject? obj) =>
        obj is null ? "object" : $"{obj["kind"]?.GetValue<string>()}/{(obj["metadata"]?["namespace"]?.GetValue<string>() is { } ns ? ns + "/" : "")}{obj["metadata"]?["name"]?.GetValue<string>()}";
}
