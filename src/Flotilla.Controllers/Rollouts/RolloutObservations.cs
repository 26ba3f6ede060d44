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
    /// <param name="stored">The status's per-cluster entries: after a hub restart, until a result of the cluster reports an
    /// applied revision, its applied revision is taken from there (never its health, which may be older than anything
    /// since), so a cluster keeps what it has instead of being left unknown.</param>
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
        // Looked up only for a cluster without an applied revision of its own: the stored list is as long as the fleet.
        string? StoredRevision() => stored?.FirstOrDefault(c => c.Name == name)?.AppliedRevision;
        if (!results.TryGetValue(name, out var latest) || histories.GetValueOrDefault(name) is not { } history)
            return new ClusterObservation(name, labels, reachable, StoredRevision(), null, false, null, null);
        // A result that knows of no applied revision — a failure before this hub saw the pair apply anything, such as
        // the first sync after a restart timing out — does not erase what the status recorded: the cluster would be
        // taken for one the run never reached and sent back to the last healthy revision.
        if (history.AppliedRevision is null)
            return new ClusterObservation(name, labels, reachable, StoredRevision(), null, false, null, latest.At);
        return new ClusterObservation(name, labels, reachable, history.AppliedRevision, history.AppliedAt,
            PairHistory.IsHealthy(latest.Result), history.HealthySince, latest.At);
    })];
}
