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
    // A tree is read whole into memory here; a larger one is left to git, which streams it.
    private const long MaxTreeBytes = 16 << 20;

    public static GitTreeListingResult? TryList(string gitDirectory, string commit, ExportedTree? previous, GitFetchLimits limits, string subject)
    {
        if (Read(gitDirectory, commit, "commit", subject) is not { } body) return null;
        var firstLine = Encoding.ASCII.GetString(body, 0, Math.Max(0, Array.IndexOf(body, (byte)'\n')));
        if (!firstLine.StartsWith("tree ", StringComparison.Ordinal) || !GitRef.IsFullSha(firstLine[5..])) throw Damaged(subject, commit, "it names no tree");
        var walkSubject = $"{subject}: commit {commit}";
        var walk = new Walk(gitDirectory, commit.Length / 2, previous, new TreeListingBudget(limits, walkSubject), walkSubject);
        return walk.Tree(firstLine[5..], "") ? new GitTreeListingResult(walk.Listed.Entries, walk.Trees) : null;
    }

    private static byte[]? Read(string gitDirectory, string id, string type, string subject)
    {
        try { return LooseObjects.TryRead(gitDirectory, id, type, MaxTreeBytes); }
        catch (InvalidDataException e) { throw Damaged(subject, id, e.Message); }
    }

    private static GitFetchException Damaged(string subject, string id, string why) =>
        new(GitFailureKind.Unreachable, $"{subject}: the cache's object {id} cannot be read ({why}): the cache is damaged");

    private sealed class Walk(string gitDirectory, int idBytes, ExportedTree? previous, TreeListingBudget listed, string subject)
    {
        public TreeListingBudget Listed => listed;

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
                listed.Add(new GitTreeEntry(path, kind, child.ObjectId, child.Size));
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
                if (nul < 0 || nul + 1 + idBytes > tree.Length) throw LooseTreeWalk.Damaged(subject, id, "not a valid tree");
                var mode = Encoding.ASCII.GetString(tree, at, space - at);
                var name = GitTreeListing.Decode(tree.AsSpan(space + 1, nul - space - 1));
                var child = Convert.ToHexStringLower(tree, nul + 1, idBytes);
                at = nul + 1 + idBytes;
                if (!TryOctal(mode, out var bits)) throw LooseTreeWalk.Damaged(subject, id, "not a valid tree");
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
            catch (InvalidDataException e) { throw LooseTreeWalk.Damaged(subject, blob, e.Message); }
        }

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
    }
}
