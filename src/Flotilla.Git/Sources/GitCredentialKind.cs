namespace Flotilla.Git.Sources;

/// <summary>How a Git source authenticates.</summary>
public enum GitCredentialKind
{
    /// <summary>Anonymous https/http (or a local repository).</summary>
    None,

    /// <summary>An https token, sent as a Basic <c>Authorization</c> header.</summary>
    HttpsToken,

    /// <summary>SSH with known_hosts text and, usually, a private key.</summary>
    Ssh,
}
