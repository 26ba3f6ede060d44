using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Rollouts;

/// <summary>
/// What the planner knows of each placed cluster, from the hub's per-pair results: the revision applied and since when
/// (<see cref="PairHistory"/>), healthy (Synced and Healthy) with the time of the result that assessed it — every health
/// change a member's watch reports queues a sync of the pair, whose result carries the time it was observed — and
/// reachable (the Cluster is Available).
/// </summary>
public static class RolloutObservations
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <param name="placed">The placed clusters, in ordinal name order.</param>
    /// <param name="cluster">The Cluster object by name (null once it left the registry).</param>
    /// <param name="results">The pairs' latest results and their times.</param>
    /// <param name="histories">The pairs' histories.</param>
    /// <param name="stored">The status's per-cluster entries: after a hub restart, before a cluster's first result, its
    /// applied revision is taken from there (never its health, which may be older than anything since), so a cluster
    /// the run has not reached keeps what it has instead of being left unknown.</param>
    public static IReadOnlyList<ClusterObservation> Of(
        IEnumerable<string> placed,
        Func<string, ClusterResource?> cluster,
        IReadOnlyDictionary<string, (SyncResult Result, DateTimeOffset At)> results,
        IReadOnlyDictionary<string, PairHistory> histories,
        IEnumerable<BundleClusterStatus>? stored) => [.. placed.Select(name =>
    {
        var resource = cluster(name);
        var labels = resource?.Metadata.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : NoLabels;
        var reachable = resource is not null && ClusterDirectory.IsAvailable(resource);
        if (!results.TryGetValue(name, out var latest) || histories.GetValueOrDefault(name) is not { } history)
        {
            var applied = stored?.FirstOrDefault(c => c.Name == name)?.AppliedRevision;
            return new ClusterObservation(name, labels, reachable, applied, null, false, null, null);
        }
        return new ClusterObservation(name, labels, reachable, history.AppliedRevision, history.AppliedAt,
            PairHistory.IsHealthy(latest.Result), history.HealthySince, latest.At);
    })];
}
