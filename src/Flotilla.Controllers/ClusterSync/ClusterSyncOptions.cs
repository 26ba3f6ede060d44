namespace Flotilla.Controllers.ClusterSync;

/// <summary>Fleet-wide limits of the per-(bundle, cluster) sync; per-bundle behaviour lives in the Bundle spec.</summary>
public sealed class ClusterSyncOptions
{
    /// <summary>Resync interval when spec.sync.interval is empty. Default 5 min.</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline of one cluster's sync when spec.sync.timeout is empty; one slow member never holds the others. Default 60 s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>(bundle, cluster) pairs synced at once. Default 16.</summary>
    public int Workers { get; set; } = 16;

    /// <summary>Upper bound of objects written at once per cluster (the member's adaptive limit decides below it). Default 32.</summary>
    public int ObjectParallelism { get; set; } = 32;

    /// <summary>First retry delay of a failing pair; doubles (with jitter) up to 5 minutes. Default 2 s.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(2);
}
