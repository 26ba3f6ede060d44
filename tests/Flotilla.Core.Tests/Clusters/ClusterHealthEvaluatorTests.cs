using Flotilla.Core.Clusters;

namespace Flotilla.Core.Tests.Clusters;

public sealed class ClusterHealthEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(60);
    private static readonly ProbeResult Ready = new(ProbeOutcome.Ready, "v1.20.2", 0, null);
    private static readonly ProbeResult Refused = new(ProbeOutcome.Unreachable, null, null, "connection refused");
    private static readonly MemberHealth Nothing = new(null, null, null, null, null);

    private static MemberHealth At(MemberHealth previous, ProbeResult probe, int seconds, DateTimeOffset? probingSince = null) =>
        ClusterHealthEvaluator.Evaluate(previous, probe, T0, T0.AddSeconds(seconds), Grace, probingSince);

    [Fact]
    public void A_ready_probe_is_a_heartbeat_and_the_condition_keeps_its_transition_time_while_it_stays_true()
    {
        var first = At(Nothing, Ready, 1);
        var later = At(first, Ready, 11);
        Assert.Equal((ConditionStatus.True, "Ready", T0.AddSeconds(1)), (later.Available!.Status, later.Available.Reason, later.Available.LastTransitionTime));
        Assert.Equal(T0.AddSeconds(11), later.LastHeartbeat);
        Assert.Equal(("v1.20.2", 0), (later.Version, later.NodeCount));
    }

    [Fact]
    public void A_silent_member_keeps_its_state_within_grace_then_is_unreachable_with_a_message_that_stays_the_same_while_it_is_silent()
    {
        var ready = At(Nothing, Ready, 0);
        var within = At(ready, Refused, 25);
        Assert.Equal(ready.Available, within.Available);
        Assert.Equal("connection refused", within.LastProbeError);

        var gone = At(within, Refused, 35);
        Assert.Equal((ConditionStatus.False, "Unreachable", T0.AddSeconds(35)), (gone.Available!.Status, gone.Available.Reason, gone.Available.LastTransitionTime));
        Assert.Equal("no heartbeat since 2026-12-05T10:00:00Z: connection refused", gone.Available.Message);
        Assert.Equal(T0, gone.LastHeartbeat);
        // Ten seconds on, still silent: nothing to record.
        var still = At(gone, Refused, 45);
        Assert.Equal(gone, still);
        Assert.False(ClusterHealthEvaluator.MustRecord(gone, still, Every));
    }

    [Fact]
    public void A_hub_that_just_began_probing_gives_a_silent_member_the_whole_grace_however_old_the_recorded_heartbeat()
    {
        var recorded = At(Nothing, Ready, 0);
        var takenOver = At(recorded, Refused, 100, probingSince: T0.AddSeconds(90));
        Assert.Equal(recorded.Available, takenOver.Available);
        var afterGrace = At(takenOver, Refused, 121, probingSince: T0.AddSeconds(90));
        Assert.Equal("Unreachable", afterGrace.Available!.Reason);
    }

    [Fact]
    public void A_hub_that_takes_over_long_after_the_last_recorded_heartbeat_gives_no_more_grace_than_the_silence_it_cannot_know_about()
    {
        var lag = TimeSpan.FromSeconds(70);
        // Recorded 20 s before this hub's first probe: the old hub may have seen the member until 50 s after that.
        Assert.Equal(T0.AddSeconds(20), ClusterHealthEvaluator.WatchedSince(T0.AddSeconds(20), T0, lag));
        // Recorded 10 minutes before: silent for at least 8 m 50 s already, so no new grace.
        Assert.Equal(T0.AddSeconds(70), ClusterHealthEvaluator.WatchedSince(T0.AddMinutes(10), T0, lag));
        Assert.Equal(T0.AddMinutes(10), ClusterHealthEvaluator.WatchedSince(T0.AddMinutes(10), null, lag));

        var recorded = At(Nothing, Ready, 0);
        var firstProbe = At(recorded, Refused, 600, probingSince: ClusterHealthEvaluator.WatchedSince(T0.AddSeconds(600), T0, lag));
        Assert.Equal("Unreachable", firstProbe.Available!.Reason);
    }

    [Fact]
    public void Rejected_credentials_are_AuthFailed_at_once_whatever_the_grace()
    {
        var ready = At(Nothing, Ready, 0);
        var rejected = At(ready, new ProbeResult(ProbeOutcome.AuthFailed, null, null, "Unauthorized"), 1);
        Assert.Equal((ConditionStatus.False, "AuthFailed"), (rejected.Available!.Status, rejected.Available.Reason));
        Assert.Equal(T0, rejected.LastHeartbeat);
    }

    [Fact]
    public void A_heartbeat_alone_is_recorded_only_once_the_recorded_one_is_old_and_any_other_change_at_once()
    {
        var recorded = At(Nothing, Ready, 0);
        Assert.True(ClusterHealthEvaluator.MustRecord(Nothing, recorded, Every));
        Assert.False(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready, 10), Every));
        Assert.False(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready, 59), Every));
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready, 60), Every));
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready with { NodeCount = 3 }, 10), Every));
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready with { Version = "v1.21.0" }, 10), Every));
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Refused, 10), Every));      // the probe error
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Refused, 40), Every));      // Unreachable
        // With a zero interval every heartbeat is recorded, as before.
        Assert.True(ClusterHealthEvaluator.MustRecord(recorded, At(recorded, Ready, 10), TimeSpan.Zero));
    }
}
