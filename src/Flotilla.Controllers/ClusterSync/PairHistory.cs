using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// What a rollout needs beyond a pair's latest result: since when the cluster has had its applied revision (the first
/// result that reported it; resyncs of the same revision do not move it, so a progress deadline is not pushed back by
/// every health refresh) and since when it has been healthy without a break (the start of its bake).
/// </summary>
public sealed record PairHistory(string? AppliedRevision, DateTimeOffset? AppliedAt, DateTimeOffset? HealthySince)
{
    /// <summary>Healthy for a rollout: synced (nothing pending or failed) and the objects' aggregated health is Healthy.</summary>
    public static bool IsHealthy(SyncResult result) => result.Phase == SyncPhase.Synced && result.Health == HealthStatus.Healthy;

    /// <summary>The history after <paramref name="result"/>, produced at <paramref name="at"/>.</summary>
    public static PairHistory Next(PairHistory? previous, SyncResult result, DateTimeOffset at)
    {
        DateTimeOffset? applied = result.AppliedRevision == previous?.AppliedRevision ? previous?.AppliedAt : result.AppliedRevision is null ? null : at;
        var healthy = IsHealthy(result);
        DateTimeOffset? since = !healthy ? null : previous?.HealthySince is { } s && result.AppliedRevision == previous.AppliedRevision ? s : at;
        return new PairHistory(result.AppliedRevision, applied, since);
    }
}
