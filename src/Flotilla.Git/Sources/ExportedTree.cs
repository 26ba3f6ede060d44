using System.Runtime.InteropServices;

namespace Flotilla.Git.Sources;

/// <summary>
/// A snapshot this fetcher exported, with the tree it holds (its files, and its subtrees by id): the next export of the same repository hard-links every
/// file whose blob and mode did not change instead of writing it again (a commit usually changes a few files of
/// hundreds). Snapshots are never written after their export, so sharing an inode between two of them is safe.
/// </summary>
internal sealed record ExportedTree(string Snapshot, IReadOnlyDictionary<string, GitTreeEntry> Entries, IReadOnlyDictionary<string, IReadOnlyList<GitTreeChild>> Trees)
{
    /// <summary>The size of every blob the snapshot holds, by id: the next listing need not read an unchanged file for it.</summary>
    public IReadOnlyDictionary<string, long> BlobSizes { get; } =
        Entries.Values.DistinctBy(e => e.ObjectId).ToDictionary(e => e.ObjectId, e => e.Size, StringComparer.Ordinal);

    /// <summary>The blob id of every regular file by path (a symlink's blob is its target's name, not content): see <see cref="GitFetchResult.FileIds"/>.</summary>
    public IReadOnlyDictionary<string, string> FileIds { get; } =
        Entries.Values.Where(e => e.Kind != GitTreeEntryKind.Symlink).ToDictionary(e => e.Path, e => e.ObjectId, StringComparer.Ordinal);

    /// <summary>True when this snapshot holds <paramref name="entry"/>'s blob at its path with the same mode (never a symlink): it can be linked.</summary>
    public bool Holds(GitTreeEntry entry) =>
        entry.Kind != GitTreeEntryKind.Symlink
        && Entries.TryGetValue(entry.Path, out var before) && before.ObjectId == entry.ObjectId && before.Kind == entry.Kind;

    /// <summary>
    /// Hard-links the file this snapshot <see cref="Holds"/> for <paramref name="entry"/> at <paramref name="path"/>. False when the
    /// link failed (the snapshot was collected meanwhile): then the caller writes the file from the blob.
    /// </summary>
    public bool Link(GitTreeEntry entry, string path) => link(Path.Combine(Snapshot, entry.Path), path) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}
