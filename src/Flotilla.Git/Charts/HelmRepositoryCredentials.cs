namespace Flotilla.Git.Charts;

/// <summary>
/// How to reach a chart repository, from its Secret: basic auth (<c>username</c>/<c>password</c>) or a bearer token
/// (<c>token</c>), and <c>ca.crt</c>, the PEM CA of a private https server (then only that CA is trusted).
/// Never printed: <see cref="ToString"/> names only what is set.
/// </summary>
public sealed record HelmRepositoryCredentials(string? Username = null, string? Password = null, string? BearerToken = null, string? CaPem = null)
{
    public static HelmRepositoryCredentials None { get; } = new();

    public override string ToString() =>
        $"HelmRepositoryCredentials(basic: {Username is not null}, bearer: {BearerToken is not null}, ca: {CaPem is not null})";
}
