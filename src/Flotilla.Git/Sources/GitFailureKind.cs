namespace Flotilla.Git.Sources;

/// <summary>Why a fetch failed. Callers branch on this, never on the message text.</summary>
public enum GitFailureKind
{
    /// <summary>The remote could not be reached or did not answer as a Git server (DNS, refused, TLS, HTTP 404/5xx, no such repository). Transient: retry with backoff.</summary>
    Unreachable,

    /// <summary>The remote refused the credentials (or asked for some and none were given). Needs a new credential.</summary>
    AuthFailed,

    /// <summary>The SSH host key is not in the given known_hosts or differs from it. Needs a human.</summary>
    HostKeyMismatch,

    /// <summary>The branch, tag or commit does not exist on the remote (or a tag names no commit). May appear later.</summary>
    RefNotFound,

    /// <summary>The commit's tree has more files or bytes than <see cref="GitFetchLimits"/> allow. Nothing was written.</summary>
    LimitExceeded,

    /// <summary>Talking to the remote took longer than <see cref="GitFetchLimits.FetchTimeout"/>; git was killed. Transient.</summary>
    Timeout,

    /// <summary>The URL is malformed or uses a transport Flotilla does not support (git://, remote helpers, …).</summary>
    InvalidUrl,

    /// <summary>Refused by policy: a local URL without <see cref="GitFetcherOptions.AllowLocal"/>, credentials that do not fit the URL, ssh without known_hosts, a token over plain http, or a tree with paths that cannot be exported safely.</summary>
    NotAllowed,
}
