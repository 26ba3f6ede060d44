namespace Flotilla.Git.Sources;

/// <summary>
/// The checks every listing of a commit applies to each file as it is listed, whoever lists it (git or the in-process
/// walk): its path must be safe to write, and the file count and bytes stay within the limits, stopping at the first
/// excess. <paramref name="subject"/> names the source and the commit.
/// </summary>
internal sealed class TreeListingBudget(GitFetchLimits limits, string subject)
{
    private long _bytes;

    public List<GitTreeEntry> Entries { get; } = [];

    public void Add(GitTreeEntry entry)
    {
        if (GitTreeListing.UnsafePathReason(entry.Path) is { } reason)
            throw new GitFetchException(GitFailureKind.NotAllowed, $"{subject} has a path that cannot be exported safely ({reason})");
        Entries.Add(entry);
        _bytes += entry.Size;
        if (Entries.Count > limits.MaxFiles)
            throw new GitFetchException(GitFailureKind.LimitExceeded, $"{subject} has more than {limits.MaxFiles} files (the limit)");
        if (_bytes > limits.MaxSnapshotBytes)
            throw new GitFetchException(GitFailureKind.LimitExceeded, $"{subject} has more than {limits.MaxSnapshotBytes} bytes of files (the limit)");
    }
}
