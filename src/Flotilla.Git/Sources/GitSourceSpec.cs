namespace Flotilla.Git.Sources;

/// <summary>
/// What to fetch: a repository URL (https, http without credentials, ssh or scp-like <c>user@host:path</c>;
/// local paths and <c>file://</c> only when <see cref="GitFetcherOptions.AllowLocal"/> is set), the ref
/// (default branch <c>main</c>), credentials (default none), a CA to trust for https (default the system's) and
/// limits (default <see cref="GitFetchLimits.Default"/>).
/// <see cref="object.ToString"/> carries no secret: credentials print their kind only.
/// </summary>
public sealed record GitSourceSpec(string Url)
{
    public GitRef Ref { get; init; } = GitRef.DefaultBranch;

    public GitCredentials Credentials { get; init; } = GitCredentials.None;

    /// <summary>
    /// PEM certificates of the CA(s) that sign the https server's certificate (a private Git server), or null
    /// for the system trust store. When set, only these are trusted for this source; verification is never off.
    /// Not a secret.
    /// </summary>
    public string? CertificateAuthority { get; init; }

    public GitFetchLimits Limits { get; init; } = GitFetchLimits.Default;

    public override string ToString() => $"{GitUrl.Redact(Url)} ({Ref}, credentials {Credentials})";
}
