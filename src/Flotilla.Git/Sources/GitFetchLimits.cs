namespace Flotilla.Git.Sources;

/// <summary>
/// Bounds on one fetch. The file count and byte total of the commit's tree are checked before anything is
/// written to a snapshot; the timeout covers the network part (ls-remote and fetch), after which git and its
/// children are killed.
/// </summary>
public sealed record GitFetchLimits
{
    /// <summary>256 MiB, 20,000 files, 60 s.</summary>
    public static GitFetchLimits Default { get; } = new();

    /// <summary>Sum of the sizes of all blobs in the tree (symlink targets included). Default 256 MiB.</summary>
    public long MaxSnapshotBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Number of files and symlinks in the tree. Default 20,000.</summary>
    public int MaxFiles { get; init; } = 20_000;

    /// <summary>Time allowed for talking to the remote. Default 60 s.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless every bound is positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSnapshotBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFiles);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FetchTimeout, TimeSpan.Zero);
    }
}
