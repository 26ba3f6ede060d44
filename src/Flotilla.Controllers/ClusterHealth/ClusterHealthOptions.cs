namespace Flotilla.Controllers.ClusterHealth;

/// <summary>Fleet-wide defaults of the cluster health controller; a Cluster's spec.healthCheck overrides them.</summary>
public sealed class ClusterHealthOptions
{
    /// <summary>How often each member is probed. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a member may stay silent before it is marked Unreachable. Default 30 s.</summary>
    public TimeSpan UnreachableGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of one probe (readyz + version + nodes). Default 5 s; must be below <see cref="Interval"/>.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a heartbeat alone is recorded in a member's status while nothing else about its health changes (a
    /// change is recorded at the probe that sees it). Default 60 s, as Kubernetes records a node's status every few
    /// minutes and keeps its heartbeat cheap; the hub itself knows the latest heartbeat at every probe.
    /// </summary>
    public TimeSpan HeartbeatRecordInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Members probed at once. Default 16.</summary>
    public int MaxConcurrency { get; set; } = 16;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero) throw new ArgumentException("health interval must be positive");
        if (ProbeTimeout <= TimeSpan.Zero || ProbeTimeout > Interval) throw new ArgumentException("probe timeout must be positive and at most the interval");
        if (UnreachableGrace < TimeSpan.Zero) throw new ArgumentException("unreachable grace must not be negative");
        if (HeartbeatRecordInterval < TimeSpan.Zero) throw new ArgumentException("heartbeat record interval must not be negative");
        if (MaxConcurrency < 1) throw new ArgumentException("max concurrency must be at least 1");
    }
}
