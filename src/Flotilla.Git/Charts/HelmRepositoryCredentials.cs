using System.Text;

namespace Flotilla.Git.Charts;

/// <summary>
/// How to reach a chart repository, from its Secret: basic auth (<c>username</c>/<c>password</c>) or a bearer token
/// (<c>token</c>), and <c>ca.crt</c>, the PEM CA of a private https server (then only that CA is trusted).
/// Never printed: <see cref="ToString"/> names only what is set.
/// </summary>
public sealed record HelmRepositoryCredentials(string? Username = null, string? Password = null, string? BearerToken = null, string? CaPem = null)
{
    public static HelmRepositoryCredentials None { get; } = new();

    /// <summary>
    /// The credentials in a Secret's <paramref name="data"/>: keys <c>username</c>, <c>password</c>, <c>token</c> and
    /// <c>ca.crt</c>, each UTF-8; a missing key is null. When both are set, the token is sent and basic auth is not.
    /// </summary>
    public static HelmRepositoryCredentials FromSecret(IDictionary<string, byte[]>? data)
    {
        string? Value(string key) => data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
        return new(Value("username"), Value("password"), Value("token"), Value("ca.crt"));
    }

    public override string ToString() =>
        $"HelmRepositoryCredentials(basic: {Username is not null}, bearer: {BearerToken is not null}, ca: {CaPem is not null})";
}
