using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class PairHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static SyncResult Result(string? revision, HealthStatus health, SyncPhase phase = SyncPhase.Synced) =>
        new(phase, revision, 1, 0, 0, health, null, []);

    [Fact]
    public void The_applied_time_stays_through_resyncs_and_the_healthy_streak_breaks_on_unhealthy_or_a_new_revision()
    {
        var steps = new (SyncResult Result, int Second, int? AppliedAt, int? HealthySince)[]
        {
            (Result("r1", HealthStatus.Progressing), 1, 1, null),
            (Result("r1", HealthStatus.Healthy), 2, 1, 2),
            (Result("r1", HealthStatus.Healthy), 3, 1, 2),
            (Result("r1", HealthStatus.Degraded), 4, 1, null),
            (Result("r1", HealthStatus.Healthy), 5, 1, 5),
            (Result("r2", HealthStatus.Healthy), 6, 6, 6),
            // A failed sync keeps the applied revision and its time; its health is unknown, so the streak breaks.
            (SyncResult.Failure(SyncPhase.Unreachable, "r2", "gone"), 7, 6, null),
            // Healthy objects in a sync that is not Synced (drift left in Warn mode) do not count as healthy.
            (Result("r2", HealthStatus.Healthy, SyncPhase.OutOfSync), 8, 6, null),
            (Result(null, HealthStatus.Unknown, SyncPhase.Failed), 9, null, null),
        };
        PairHistory? history = null;
        foreach (var (result, second, appliedAt, healthySince) in steps)
        {
            history = PairHistory.Next(history, result, T0.AddSeconds(second));
            Assert.Equal(result.AppliedRevision, history.AppliedRevision);
            Assert.Equal(appliedAt is { } a ? T0.AddSeconds(a) : null, history.AppliedAt);
            Assert.Equal(healthySince is { } h ? T0.AddSeconds(h) : null, history.HealthySince);
        }
    }
}
