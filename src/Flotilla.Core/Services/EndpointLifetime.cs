namespace Flotilla.Core.Services;

/// <summary>Whether a source cluster's endpoints are in the importers now, when to look again, and why.</summary>
public sealed record LifetimeDecision(bool Published, DateTimeOffset? RecheckAt, string Reason);

/// <summary>
/// The endpoint lifetime state machine of one exporting cluster (pure; the caller keeps the state and the clock):
/// <list type="bullet">
/// <item><description>Published and Available: stays published.</description></item>
/// <item><description>Published and Unavailable: <c>Keep</c> keeps it; <c>WithdrawAfter</c> keeps it until the grace
/// has passed since it became Unavailable, then withdraws it. A cluster that blinks inside the grace changes nothing.</description></item>
/// <item><description>Withdrawn and Available: published again once it has been Available for <c>ReturnAfter</c>
/// without a break (each new outage restarts that wait: flap damping); until then withdrawn.</description></item>
/// <item><description>Withdrawn and Unavailable: stays withdrawn.</description></item>
/// </list>
/// </summary>
public static class EndpointLifetime
{
    /// <summary>
    /// The state a hub that just started assumes (state lives in the members): published when the cluster is
    /// Available or copies of its endpoints are still in some member; withdrawn otherwise.
    /// </summary>
    public static bool InitiallyPublished(SourceHealth health, bool copiesExist) => health.Available || copiesExist;

    public static LifetimeDecision Decide(bool published, SourceHealth health, StaleEndpointsPolicy policy, DateTimeOffset now)
    {
        if (published)
        {
            if (health.Available) return new(true, null, "Available");
            var withdrawAt = health.Since + policy.After;
            return policy.Mode switch
            {
                StaleEndpointsMode.Keep => new(true, null, "Unavailable; endpoints kept (staleEndpoints: Keep)"),
                StaleEndpointsMode.WithdrawAfter => now >= withdrawAt
                    ? new(false, null, $"Unavailable for more than {Seconds(policy.After)}; endpoints withdrawn")
                    : new(true, withdrawAt, $"Unavailable; endpoints kept until {withdrawAt:u} (grace {Seconds(policy.After)})"),
            };
        }
        if (!health.Available) return new(false, null, "Unavailable; endpoints withdrawn");
        var returnAt = health.Since + policy.ReturnAfter;
        return now >= returnAt
            ? new(true, null, "Available again")
            : new(false, returnAt, $"Available again; endpoints return at {returnAt:u} if it stays Available (damping {Seconds(policy.ReturnAfter)})");
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.###}s";
}
