namespace Flotilla.Core.Sync;

/// <summary>Where one cluster stands for one bundle.</summary>
public enum SyncPhase
{
    Synced,
    OutOfSync,
    Failed,
    Unreachable,
    Pending,

    /// <summary>The cluster left the placement or the bundle is being deleted: its objects are being removed.</summary>
    Removing,

    /// <summary>Held back: a bundle it depends on is not Ready on the cluster (or the bundle is in a dependency cycle). Nothing was written.</summary>
    DependencyNotReady,
}
