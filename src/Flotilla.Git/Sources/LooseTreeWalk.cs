using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// Lists a commit's files in this process, as <c>git ls-tree -r -l</c> would: the commit and its new trees are read
/// loose (<see cref="LooseObjects"/>), an unchanged subtree and an unchanged file's size come from the repository's last
/// export. Null as soon as something it needs is neither (a fetch large enough to arrive packed): then git lists it.
/// The same checks as git's listing: every path safe to write, the file and byte limits.
/// </summary>
internal static class LooseTreeWalk
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A tree is read whole into memory here; a larger one is left to git, which streams it.
    private const long MaxTreeBytes = 16 << 20;

    public static GitTreeListingResult? TryList(string gitDirectory, string commit, ExportedTree? previous, GitFetchLimits limits, string subject)
    {
        if (Read(gitDirectory, commit, "commit", subject) is not { } body) return null;
        var firstLine = Encoding.ASCII.GetString(body, 0, Math.Max(0, Array.IndexOf(body, (byte)'\n')));
        if (!firstLine.StartsWith("tree ", StringComparison.Ordinal) || !GitRef.IsFullSha(firstLine[5..]))
            throw new GitFetchException(GitFailureKind.Unreachable, $"{subject}: the cache's commit {commit} names no tree: the cache is damaged");
        var walk = new Walk(gitDirectory, commit.Length / 2, previous, limits, $"{subject}: commit {commit}");
        return walk.Tree(firstLine[5..], "") ? new GitTreeListingResult(walk.Entries, walk.Trees) : null;
    }

    private static byte[]? Read(string gitDirectory, string id, string type, string subject)
    {
        try { return LooseObjects.TryRead(gitDirectory, id, type, MaxTreeBytes); }
        catch (InvalidDataException e) { throw Damaged(subject, id, e); }
    }

    private static GitFetchException Damaged(string subject, string id, InvalidDataException e) =>
        new(GitFailureKind.Unreachable, $"{subject}: the cache's object {id} cannot be read ({e.Message}): the cache is damaged");

    private sealed class Walk(string gitDirectory, int idBytes, ExportedTree? previous, GitFetchLimits limits, string subject)
    {
        private long _bytes;

        public List<GitTreeEntry> Entries { get; } = [];

        public Dictionary<string, IReadOnlyList<GitTreeChild>> Trees { get; } = new(StringComparer.Ordinal);

        /// <summary>Adds the files below tree <paramref name="id"/> at <paramref name="prefix"/>; false when an object is not at hand.</summary>
        public bool Tree(string id, string prefix)
        {
            // Checked before going deeper: a crafted tree nested thousands of levels deep ends here, not in a stack overflow.
            if (prefix.Length > GitTreeListing.MaxPathChars)
                throw new GitFetchException(GitFailureKind.NotAllowed, $"{subject} has a path that cannot be exported safely (longer than {GitTreeListing.MaxPathChars} characters)");
            if (!Trees.TryGetValue(id, out var children))
            {
                children = previous?.Trees.GetValueOrDefault(id) ?? Read(id);
                if (children is null) return false;
                Trees[id] = children;
            }
            foreach (var child in children)
            {
                var path = prefix + child.Name;
                if (child.Kind is not { } kind)
                {
                    if (!Tree(child.ObjectId, path + "/")) return false;
                    continue;
                }
                if (GitTreeListing.UnsafePathReason(path) is { } reason)
                    throw new GitFetchException(GitFailureKind.NotAllowed, $"{subject} has a path that cannot be exported safely ({reason})");
                Entries.Add(new GitTreeEntry(path, kind, child.ObjectId, child.Size));
                _bytes += child.Size;
                if (Entries.Count > limits.MaxFiles)
                    throw new GitFetchException(GitFailureKind.LimitExceeded, $"{subject} has more than {limits.MaxFiles} files (the limit)");
                if (_bytes > limits.MaxSnapshotBytes)
                    throw new GitFetchException(GitFailureKind.LimitExceeded, $"{subject} has more than {limits.MaxSnapshotBytes} bytes of files (the limit)");
            }
            return true;
        }

        // A loose tree: "<mode> <name>\0<binary id>" per entry. A file's size is the last export's when it had the blob,
        // else the loose blob's header says it.
        private List<GitTreeChild>? Read(string id)
        {
            if (LooseTreeWalk.Read(gitDirectory, id, "tree", subject) is not { } tree) return null;
            var children = new List<GitTreeChild>();
            for (var at = 0; at < tree.Length;)
            {
                var space = Array.IndexOf(tree, (byte)' ', at);
                var nul = space < 0 ? -1 : Array.IndexOf(tree, (byte)0, space + 1);
                if (nul < 0 || nul + 1 + idBytes > tree.Length) throw Damaged(id);
                var mode = Encoding.ASCII.GetString(tree, at, space - at);
                var name = Decode(tree.AsSpan(space + 1, nul - space - 1));
                var child = Convert.ToHexStringLower(tree, nul + 1, idBytes);
                at = nul + 1 + idBytes;
                if (!TryOctal(mode, out var bits)) throw Damaged(id);
                switch (bits & 0xF000)
                {
                    case 0x4000: children.Add(new GitTreeChild(name, child, null, 0)); break;  // 040000: a subtree
                    case 0xE000: break;                                                         // 160000: a submodule
                    default:
                        if (SizeOf(child) is not { } size) return null;
                        children.Add(new GitTreeChild(name, child, GitTreeListing.KindOf(mode), size));
                        break;
                }
            }
            return children;
        }

        private long? SizeOf(string blob)
        {
            if (previous?.BlobSizes.TryGetValue(blob, out var known) == true) return known;
            try
            {
                using var loose = LooseObjects.TryOpen(gitDirectory, blob);
                return loose is null ? null : loose.Type == "blob" ? loose.Size : throw new InvalidDataException($"a {loose.Type}, not the blob its tree names");
            }
            catch (InvalidDataException e) { throw LooseTreeWalk.Damaged(subject, blob, e); }
        }

        private GitFetchException Damaged(string tree) => new(GitFailureKind.Unreachable, $"{subject}: the cache's tree {tree} cannot be read: the cache is damaged");

        private static bool TryOctal(string text, out int value)
        {
            value = 0;
            foreach (var c in text)
            {
                if (c is < '0' or > '7' || value > 0x1FFFFF) return false;
                value = value * 8 + (c - '0');
            }
            return text.Length > 0;
        }

        // Not UTF-8: U+FFFD, which the path check refuses (as for git's listing).
        private static string Decode(ReadOnlySpan<byte> name)
        {
            try { return StrictUtf8.GetString(name); }
            catch (DecoderFallbackException) { return Encoding.UTF8.GetString(name); }
        }
    }
}
