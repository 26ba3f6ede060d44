namespace Flotilla.Git.Sources;

/// <summary>
/// A fetched commit's files as the fetch listed them, with the bytes of those it wrote anew (the rest are the last
/// export's, unchanged): enough for a render of plain manifests to start before the snapshot directory is complete
/// (<see cref="Render.DirectoryRenderer.TryRenderListed"/>).
/// </summary>
public sealed class SnapshotListing
{
    internal SnapshotListing(IReadOnlyDictionary<string, GitTreeEntry> entries, IReadOnlyDictionary<string, byte[]> changed)
    {
        Entries = entries;
        Changed = changed;
    }

    /// <summary>Every file and symlink of the commit by path (<c>/</c>-separated).</summary>
    internal IReadOnlyDictionary<string, GitTreeEntry> Entries { get; }

    /// <summary>The bytes of every regular file the export wrote anew, by path.</summary>
    internal IReadOnlyDictionary<string, byte[]> Changed { get; }
}
