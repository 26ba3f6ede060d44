namespace Flotilla.Git.Sources;

/// <summary>
/// The one place that reads git's stderr to decide why it failed — git reports most failures as exit code
/// 128 with a sentence, so there is nothing better to go on. Git runs with <c>LC_ALL=C</c>, so the
/// sentences are the English ones matched here. Order matters: host-key and authentication problems are
/// checked before the generic "Could not read from remote repository" that follows them.
/// </summary>
public static class GitErrorClassifier
{
    private static readonly string[] HostKey =
    [
        "Host key verification failed",
        "REMOTE HOST IDENTIFICATION HAS CHANGED",
        "host key is known for",
    ];

    private static readonly string[] Auth =
    [
        "Permission denied (",
        "Authentication failed",
        "could not read Username",
        "could not read Password",
        "The requested URL returned error: 401",
        "The requested URL returned error: 403",
        "HTTP Basic: Access denied",
        "Load key",
        "Too many authentication failures",
    ];

    private static readonly string[] Ref =
    [
        "couldn't find remote ref",
        "not our ref",
        "unadvertised object",
        "no such remote ref",
    ];

    /// <summary>
    /// Classifies a failed git command. Exit code 2 with no stderr is <c>ls-remote --exit-code</c> finding no
    /// matching ref. Anything not recognised is <see cref="GitFailureKind.Unreachable"/>: a transient guess,
    /// retried with backoff, is safer than declaring the spec invalid.
    /// </summary>
    public static GitFailureKind Classify(int exitCode, string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        if (exitCode == 2 && string.IsNullOrWhiteSpace(stderr)) return GitFailureKind.RefNotFound;
        if (Contains(stderr, HostKey)) return GitFailureKind.HostKeyMismatch;
        if (Contains(stderr, Auth)) return GitFailureKind.AuthFailed;
        if (Contains(stderr, Ref)) return GitFailureKind.RefNotFound;
        if (stderr.Contains("not allowed", StringComparison.OrdinalIgnoreCase) && stderr.Contains("transport", StringComparison.OrdinalIgnoreCase))
        {
            return GitFailureKind.NotAllowed;
        }

        return GitFailureKind.Unreachable;
    }

    private static bool Contains(string text, string[] needles) =>
        needles.Any(needle => text.Contains(needle, StringComparison.OrdinalIgnoreCase));
}
