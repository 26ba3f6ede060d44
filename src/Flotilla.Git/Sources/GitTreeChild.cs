namespace Flotilla.Git.Sources;

/// <summary>
/// One entry of one tree object: a subtree (<see cref="Kind"/> null, no size) or a file or symlink with its size.
/// Submodules are not kept (a snapshot does not hold them).
/// </summary>
internal sealed record GitTreeChild(string Name, string ObjectId, GitTreeEntryKind? Kind, long Size);

/// <summary>
/// A commit's files as <c>git ls-tree -r -l</c> lists them, and the entries of every subtree by its id: the next
/// listing of the same repository takes an unchanged subtree from here instead of reading it again.
/// </summary>
internal sealed record GitTreeListingResult(IReadOnlyList<GitTreeEntry> Entries, IReadOnlyDictionary<string, IReadOnlyList<GitTreeChild>> Trees);
