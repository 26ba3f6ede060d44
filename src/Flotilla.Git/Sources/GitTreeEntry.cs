namespace Flotilla.Git.Sources;

/// <summary>One file or symlink of a commit's tree, as <c>git ls-tree -r -l</c> lists it.</summary>
internal sealed record GitTreeEntry(string Path, GitTreeEntryKind Kind, string ObjectId, long Size);
