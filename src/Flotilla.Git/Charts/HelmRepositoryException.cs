namespace Flotilla.Git.Charts;

/// <summary>Why a chart repository could not be used; the message names the URL (without credentials), never a secret.</summary>
public sealed class HelmRepositoryException(HelmRepositoryFailure kind, string message) : Exception(message)
{
    public HelmRepositoryFailure Kind { get; } = kind;
}

/// <summary>The kinds of failure, for conditions and retries.</summary>
public enum HelmRepositoryFailure
{
    /// <summary>Refused credentials (401/403).</summary>
    Unauthorized,

    /// <summary>The index or a chart is not there (404).</summary>
    NotFound,

    /// <summary>The server could not be reached, timed out, answered 5xx or failed TLS verification: retried.</summary>
    Unreachable,

    /// <summary>The index is not a chart repository index, or the chart asked for is not in it.</summary>
    InvalidIndex,

    /// <summary>The tarball's sha256 is not the index's digest: refused, never unpacked.</summary>
    DigestMismatch,

    /// <summary>The index or a chart is larger than allowed, or the tarball holds an entry that leaves its directory.</summary>
    Refused,
}
