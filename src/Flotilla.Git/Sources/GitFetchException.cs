namespace Flotilla.Git.Sources;

/// <summary>
/// A fetch that failed; <see cref="Kind"/> says why. The message names the source first (URL with its
/// user information removed, and the ref) and quotes git's own words where they help; it never contains a
/// token or key.
/// </summary>
public sealed class GitFetchException : Exception
{
    public GitFetchException(GitFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public GitFailureKind Kind { get; }
}
