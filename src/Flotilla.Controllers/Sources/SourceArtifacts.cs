using System.Collections.Concurrent;

namespace Flotilla.Controllers.Sources;

/// <summary>
/// The last good fetch of a GitRepository: the commit and its snapshot directory, with the git blob id of each of its
/// files when the fetch exported it (<see cref="Flotilla.Git.Sources.GitFetchResult.FileIds"/>).
/// </summary>
public sealed record SourceArtifact(string Revision, string SnapshotDirectory, DateTimeOffset FetchedAt, IReadOnlyDictionary<string, string>? FileIds = null)
{
    /// <summary>Done when <see cref="SnapshotDirectory"/> is complete: await it before reading the directory.</summary>
    public Task Exported { get; init; } = Task.CompletedTask;

    /// <summary>The commit's listing, for a render that need not wait for <see cref="Exported"/> (<see cref="Flotilla.Git.Sources.GitFetchResult.Listing"/>).</summary>
    public Flotilla.Git.Sources.SnapshotListing? Listing { get; init; }
}

/// <summary>
/// The hub's in-process table of last good fetches, keyed by <c>namespace/name</c>. A failing fetch never
/// replaces an entry, so bundles keep syncing the last good revision (and never prune because of a source). (A commit
/// counts as fetched once it is listed and checked: a snapshot that then fails to export keeps its revision here.)
/// </summary>
public sealed class SourceArtifacts
{
    private readonly ConcurrentDictionary<string, SourceArtifact> _artifacts = new(StringComparer.Ordinal);

    /// <summary>Raised after a new revision was recorded (the key of the GitRepository).</summary>
    public event Action<string>? RevisionChanged;

    public SourceArtifact? Get(string key) => _artifacts.GetValueOrDefault(key);

    public void Set(string key, SourceArtifact artifact)
    {
        var previous = _artifacts.GetValueOrDefault(key);
        _artifacts[key] = artifact;
        // The same revision again is news only when its last snapshot failed to export: what waited on it can go on.
        if (previous?.Revision != artifact.Revision || previous.Exported is { IsCompleted: true, IsCompletedSuccessfully: false }) RevisionChanged?.Invoke(key);
    }

    /// <summary>
    /// The snapshot of an earlier <paramref name="revision"/> of the source, for a rollout that keeps clusters on it (or
    /// rolls them back): snapshots are content-addressed siblings of the current one. Null when it is gone (collected).
    /// </summary>
    public SourceArtifact? SnapshotOf(string key, string revision)
    {
        if (Get(key) is not { } current) return null;
        if (current.Revision == revision) return current;
        // A revision read back from a status is not trusted as a path: only a full lowercase SHA names a snapshot.
        if (revision.Length is not (40 or 64) || !revision.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return null;
        var directory = Path.Combine(Path.GetDirectoryName(current.SnapshotDirectory)!, revision);
        return Directory.Exists(directory) ? new SourceArtifact(revision, directory, current.FetchedAt) : null;
    }

    public void Remove(string key) => _artifacts.TryRemove(key, out _);

    /// <summary>Every revision still referenced (what snapshot collection must keep).</summary>
    public IReadOnlySet<string> Revisions => _artifacts.Values.Select(a => a.Revision).ToHashSet(StringComparer.Ordinal);
}
