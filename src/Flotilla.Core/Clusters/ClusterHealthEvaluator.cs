namespace Flotilla.Core.Clusters;

/// <summary>What the hub last recorded about a member's health.</summary>
public sealed record MemberHealth(Condition? Available, DateTimeOffset? LastHeartbeat, string? Version, int? NodeCount, string? LastProbeError);

/// <summary>
/// Turns a probe into the member's health status. Rules:
/// a ready probe is a heartbeat (Available=True); 401/403 is <c>AuthFailed</c> at once (it needs a human,
/// not retries); bad stored credentials are <c>InvalidCredentials</c> at once; an unreachable or unready
/// member stays as it was until <c>grace</c> has passed since the last heartbeat (or since registration),
/// then becomes <c>Unreachable</c>/<c>NotReady</c>. Version and node count keep their last known values.
/// </summary>
public static class ClusterHealthEvaluator
{
    public const string AvailableType = "Available";

    public static MemberHealth Evaluate(MemberHealth previous, ProbeResult probe, DateTimeOffset registeredAt, DateTimeOffset now, TimeSpan grace)
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
                if (now - silentSince < grace)
                {
                    var waiting = previous.Available ?? Make(ConditionStatus.Unknown, "Probing", $"no heartbeat yet: {probe.Error}");
                    return previous with { Available = waiting, LastProbeError = probe.Error };
                }
                var message = $"no heartbeat for {(now - silentSince).TotalSeconds:0}s: {probe.Error}";
                return previous with { Available = Make(ConditionStatus.False, reason, message), LastProbeError = probe.Error };
            default:
                throw new ArgumentOutOfRangeException(nameof(probe), probe.Outcome, "unknown probe outcome");
        }
    }
}
