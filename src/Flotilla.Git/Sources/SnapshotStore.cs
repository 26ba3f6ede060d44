using System.Collections.Immutable;

namespace Flotilla.Git.Sources;

/// <summary>
/// The snapshots under <c>&lt;work directory&gt;/snapshots</c> (the same work directory as the
/// <see cref="GitFetcher"/>'s). Only directories named by a full lowercase SHA are snapshots; anything else
/// there is left alone. Sizes count regular files only; symlinks are never followed, not even when deleting.
/// </summary>
public sealed class SnapshotStore
{
    private readonly string _snapshots;
    private readonly string _temporary;

    /// <param name="workDirectory">The fetcher's <see cref="GitFetcherOptions.WorkDirectory"/>.</param>
    public SnapshotStore(string workDirectory)
    {
        if (!Path.IsPathFullyQualified(workDirectory))
        {
            throw new ArgumentException($"the work directory must be an absolute path, got '{workDirectory}'", nameof(workDirectory));
        }

        _snapshots = Path.Combine(workDirectory, "snapshots");
        _temporary = Path.Combine(workDirectory, "tmp");
    }

    /// <summary>Every snapshot, ordered by commit SHA (ordinal).</summary>
    public IReadOnlyList<SnapshotInfo> List() =>
        SnapshotDirectories()
            .Select(directory => new SnapshotInfo(directory.Name, directory.FullName, SizeOf(directory)))
            .ToList();

    /// <summary>
    /// Deletes every snapshot whose SHA is not in <paramref name="keep"/> (the caller keeps whatever any
    /// cluster or rollback may still need). A snapshot is first renamed into <c>tmp/</c> and then deleted, so
    /// it is either whole under its name or gone.
    /// </summary>
    public SnapshotCollection Collect(IReadOnlySet<string> keep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var deleted = ImmutableArray.CreateBuilder<string>();
        long freed = 0;
        foreach (var directory in SnapshotDirectories().Where(d => !keep.Contains(d.Name)))
        {
            ct.ThrowIfCancellationRequested();
            var sha = directory.Name; // read before MoveTo, which renames the DirectoryInfo too
            var size = SizeOf(directory);
            Directory.CreateDirectory(_temporary);
            var doomed = Path.Combine(_temporary, $"delete-{sha}-{Guid.NewGuid():N}");
            directory.MoveTo(doomed);
            Directory.Delete(doomed, recursive: true);
            deleted.Add(sha);
            freed += size;
        }

        return new SnapshotCollection(deleted.ToImmutable(), freed);
    }

    private IEnumerable<DirectoryInfo> SnapshotDirectories()
    {
        var root = new DirectoryInfo(_snapshots);
        if (!root.Exists) return [];
        return root.EnumerateDirectories()
            .Where(d => d.LinkTarget is null && GitRef.IsFullSha(d.Name) && d.Name == d.Name.ToLowerInvariant())
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static long SizeOf(DirectoryInfo directory)
    {
        long size = 0;
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) continue;
            size += entry switch
            {
                FileInfo file => file.Length,
                DirectoryInfo child => SizeOf(child),
                _ => 0,
            };
        }

        return size;
    }
}
