using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// The taint the engine puts on an unavailable cluster: <c>flotilla.io/unavailable:NoSelect</c>, added when it
/// became unavailable. NoSelect (as OCM's <c>cluster.open-cluster-management.io/unavailable</c>) rather than
/// NoSelectIfNew, so that a long outage does move the bundle; the default toleration below is what keeps a short
/// blip from moving anything.
/// </summary>
public static class UnavailableTaint
{
    public const string Key = "flotilla.io/unavailable";

    /// <summary>
    /// A placement that names no toleration for <see cref="Key"/> gets <c>Exists</c> with this many seconds
    /// (Kubernetes' DefaultTolerationSeconds does the same for not-ready nodes): current placements stay for five
    /// minutes of unavailability, new ones never go there.
    /// </summary>
    public const long DefaultTolerationSeconds = 300;

    public static ClusterTaint Since(DateTimeOffset since) => new(Key, "", TaintEffect.NoSelect, since);
}
