namespace Flotilla.Core.Clusters;

/// <summary>What the hub last recorded about a member's health.</summary>
public sealed record MemberHealth(Condition? Available, DateTimeOffset? LastHeartbeat, string? Version, int? NodeCount, string? LastProbeError);

/// <summary>
/// Turns a probe into the member's health status. Rules:
/// a ready probe is a heartbeat (Available=True); 401/403 is <c>AuthFailed</c> at once (it needs a human,
/// not retries); bad stored credentials are <c>InvalidCredentials</c> at once; an unreachable or unready
/// member stays as it was until <c>grace</c> has passed since the last heartbeat (or since registration, or since
/// this hub process began probing it: a hub that just took over has not yet seen the member silent), then becomes
/// <c>Unreachable</c>/<c>NotReady</c>. Version and node count keep their last known values.
/// </summary>
public static class ClusterHealthEvaluator
{
    public const string AvailableType = "Available";

    public static MemberHealth Evaluate(MemberHealth previous, ProbeResult probe, DateTimeOffset registeredAt, DateTimeOffset now, TimeSpan grace,
        DateTimeOffset? probingSince = null)
    {
        Condition Make(ConditionStatus status, string reason, string message) =>
            new Condition(AvailableType, status, reason, message, now).Following(previous.Available);

        switch (probe.Outcome)
        {
            case ProbeOutcome.Ready:
                return new MemberHealth(Make(ConditionStatus.True, "Ready", "API server is ready"), now,
                    probe.Version ?? previous.Version, probe.NodeCount ?? previous.NodeCount, null);
            case ProbeOutcome.AuthFailed:
                return previous with { Available = Make(ConditionStatus.False, "AuthFailed", probe.Error ?? "credentials rejected"), LastProbeError = probe.Error };
            case ProbeOutcome.InvalidCredentials:
                return previous with { Available = Make(ConditionStatus.False, "InvalidCredentials", probe.Error ?? "credentials invalid"), LastProbeError = probe.Error };
            case ProbeOutcome.Unreachable:
            case ProbeOutcome.NotReady:
                var silentSince = previous.LastHeartbeat ?? registeredAt;
                var reason = probe.Outcome == ProbeOutcome.Unreachable ? "Unreachable" : "NotReady";
                if (now - silentSince < grace || probingSince is { } since && now - since < grace)
                {
                    var waiting = previous.Available ?? Make(ConditionStatus.Unknown, "Probing", $"no heartbeat yet: {probe.Error}");
                    return previous with { Available = waiting, LastProbeError = probe.Error };
                }
                // A time, not a duration: the message stays the same while the member stays silent, so it costs no write.
                var message = $"no heartbeat since {(previous.LastHeartbeat is { } beat ? beat.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ") : "registration")}: {probe.Error}";
                return previous with { Available = Make(ConditionStatus.False, reason, message), LastProbeError = probe.Error };
            default:
                throw new ArgumentOutOfRangeException(nameof(probe), probe.Outcome, "unknown probe outcome");
        }
    }

    /// <summary>
    /// Since when a hub process has watched a member, for <see cref="Evaluate"/>'s <c>probingSince</c>: since its first
    /// probe, but no later than the last moment the member could have answered the hub before it — the recorded heartbeat
    /// plus <paramref name="recordLag"/> (a heartbeat is recorded only now and then). A hub that takes over gives a member
    /// no more grace than the silence it cannot know about; a crash-looping hub still marks a dead member Unreachable.
    /// </summary>
    public static DateTimeOffset WatchedSince(DateTimeOffset firstProbe, DateTimeOffset? recordedHeartbeat, TimeSpan recordLag) =>
        recordedHeartbeat is { } beat && beat + recordLag < firstProbe ? beat + recordLag : firstProbe;

    /// <summary>
    /// Whether <paramref name="next"/> must be written over what is <paramref name="recorded"/>: any change at once, a
    /// newer heartbeat alone only once the recorded one is <paramref name="heartbeatEvery"/> old. Each write is a write
    /// to the hub's etcd and an event to every watcher of Clusters; a heartbeat per probe was 6 a minute per member
    /// doing nothing (100 a second at 1,000 members). The hub keeps the latest heartbeat in memory for the grace rule.
    /// </summary>
    public static bool MustRecord(MemberHealth recorded, MemberHealth next, TimeSpan heartbeatEvery) =>
        next with { LastHeartbeat = recorded.LastHeartbeat } != recorded
        || next.LastHeartbeat is { } beat && (recorded.LastHeartbeat is not { } was || beat - was >= heartbeatEvery);
}
