namespace Flotilla.Core.Health;

/// <summary>How healthy a live object is (kstatus / gitops-engine vocabulary).</summary>
public enum HealthStatus
{
    /// <summary>The object has reached its desired state.</summary>
    Healthy,

    /// <summary>The object is moving towards its desired state (rollout in progress, pending, waiting to be observed).</summary>
    Progressing,

    /// <summary>The object failed or will not reach its desired state without intervention.</summary>
    Degraded,

    /// <summary>The object does not exist in the cluster.</summary>
    Missing,

    /// <summary>The status could not be interpreted (unexpected shape or an explicit Unknown phase).</summary>
    Unknown,
}
