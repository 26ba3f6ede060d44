namespace Flotilla.Controllers.Bundles;

/// <summary>Fleet-wide limits of the bundle controller; per-bundle behaviour lives in the Bundle spec.</summary>
public sealed class BundleOptions
{
    /// <summary>Resync interval when spec.sync.interval is empty. Default 5 min.</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon to look again while clusters are progressing or unreachable. Default 3 s.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Deadline of one cluster's sync; one slow member never holds the others. Default 60 s.</summary>
    public TimeSpan ClusterSyncTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clusters synced at once per bundle. Default 16.</summary>
    public int ClusterParallelism { get; set; } = 16;

    /// <summary>Objects applied at once per cluster. Default 32.</summary>
    public int ObjectParallelism { get; set; } = 32;
}
