namespace Flotilla.Core.Services;

/// <summary>What happens to the endpoints of an exporting cluster the hub sees Unavailable.</summary>
public enum StaleEndpointsMode
{
    /// <summary>They stay until the cluster returns.</summary>
    Keep,

    /// <summary>They are withdrawn once the cluster has been Unavailable for <see cref="StaleEndpointsPolicy.After"/>.</summary>
    WithdrawAfter,
}

/// <summary>
/// A ClusterSet's endpoint lifetime: <see cref="Mode"/> with its grace <see cref="After"/> (default 60 s), and
/// <see cref="ReturnAfter"/> (default 10 s), the flap damping: withdrawn endpoints come back only once their cluster
/// has been Available that long without a break.
/// </summary>
public sealed record StaleEndpointsPolicy(StaleEndpointsMode Mode, TimeSpan After, TimeSpan ReturnAfter)
{
    public static StaleEndpointsPolicy Default { get; } = new(StaleEndpointsMode.WithdrawAfter, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
}
