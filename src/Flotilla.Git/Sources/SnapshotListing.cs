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

    /// <summary>
    /// The directory a relative path names, as the prefix of the entries below it (<c>"a/b/"</c>, <c>""</c> for the root),
    /// read as the renderers read a path (empty and <c>.</c> segments dropped); null for one that leaves the root.
    /// </summary>
    internal static string? Prefix(string? relativePath)
    {
        var segments = (relativePath ?? "").Split('/');
        if (relativePath?.StartsWith('/') == true || segments.Contains("..")) return null;
        var directory = string.Join('/', segments.Where(s => s is not ("" or ".")));
        return directory.Length == 0 ? "" : directory + "/";
    }

    /// <summary>True when one of the directories above <paramref name="path"/> is a symlink in the commit: only the snapshot can follow it.</summary>
    internal bool SymlinkAbove(string path) =>
        Entries.Any(e => e.Value.Kind == GitTreeEntryKind.Symlink && path.StartsWith(e.Key + "/", StringComparison.Ordinal));
}
