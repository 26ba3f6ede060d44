namespace Flotilla.Core.Clusters;

/// <summary>What one health probe of a member found.</summary>
public enum ProbeOutcome
{
    /// <summary>/readyz answered OK and version and nodes were read.</summary>
    Ready,
    /// <summary>The API server answered but is not ready (e.g. /readyz 500).</summary>
    NotReady,
    /// <summary>No answer: connection refused, timeout, TLS or DNS failure.</summary>
    Unreachable,
    /// <summary>401 or 403: the credentials are wrong or lack rights; retrying will not help.</summary>
    AuthFailed,
    /// <summary>The stored credentials are missing or refused by validation.</summary>
    InvalidCredentials,
}

/// <summary>The result of probing one member; <see cref="Error"/> never holds secret material.</summary>
public sealed record ProbeResult(ProbeOutcome Outcome, string? Version, int? NodeCount, string? Error);
