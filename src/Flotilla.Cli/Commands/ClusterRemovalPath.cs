namespace Flotilla.Cli.Commands;

/// <summary>How <c>flotilla cluster remove</c> goes about it (see <see cref="ClusterRemoveCommand.Choose"/>).</summary>
public enum ClusterRemovalPath
{
    /// <summary><c>--orphan</c>: registration and credentials go now; everything on the member stays.</summary>
    Orphan,

    /// <summary>Nothing of Flotilla's is recorded on the member and no hub runs: delete the registration now.</summary>
    DeleteNow,

    /// <summary>The hub removes every bundle from the member first (finalizer on the Cluster), then the registration goes.</summary>
    Cleanup,

    /// <summary>Bundles are on the member but no hub runs to remove them: refused, so the Cluster never hangs in deletion.</summary>
    RefuseWithoutHub,
}
