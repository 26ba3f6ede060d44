namespace Flotilla.Git.Sources;

/// <summary>A fetched commit and the read-only directory holding its tree.</summary>
/// <param name="CommitSha">Lowercase full SHA of the commit (an annotated tag is peeled).</param>
/// <param name="SnapshotDirectory"><c>&lt;work directory&gt;/snapshots/&lt;CommitSha&gt;</c>; never changes once it exists.</param>
/// <param name="FetchedAt">When the remote was last asked (the fetcher's <see cref="TimeProvider"/>).</param>
/// <param name="ReusedSnapshot">True when the snapshot already existed and nothing was exported.</param>
/// <param name="FileIds">
/// The git blob id of each regular file of the snapshot by path (<c>/</c>-separated), as exported: an identity of its
/// content, so a renderer need not read a file it has parsed before. Null when the snapshot was reused and is not the
/// one this fetcher exported last from the same cache.
/// </param>
public sealed record GitFetchResult(string CommitSha, string SnapshotDirectory, DateTimeOffset FetchedAt, bool ReusedSnapshot,
    IReadOnlyDictionary<string, string>? FileIds = null)
{
    /// <summary>
    /// Done when <see cref="SnapshotDirectory"/> is complete; fails as the fetch would have (a damaged cache, a full disk).
    /// Only <see cref="IGitFetcher.FetchListedAsync"/> answers before it is.
    /// </summary>
    public Task Exported { get; init; } = Task.CompletedTask;

    /// <summary>The commit's files with the bytes of those written anew, when they were few enough to keep; null for a reused snapshot.</summary>
    public SnapshotListing? Listing { get; init; }
}
