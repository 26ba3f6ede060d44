using System.Net.Http.Headers;
using k8s.Authentication;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Bearer tokens from an exec plugin for one member client: the token is reused until shortly before its
/// <c>expirationTimestamp</c>, then the plugin runs again (one run at a time, bounded by the plugin's timeout).
/// A token without an expiry is renewed after <see cref="MaxAgeWithoutExpiry"/>, so a revoked one heals.
/// </summary>
public sealed class ExecTokenSource(ExecCredentialPlugin plugin, ExecCredential first, TimeProvider clock) : ITokenProvider
{
    /// <summary>How long a token that states no expiry is used before the plugin runs again.</summary>
    public static readonly TimeSpan MaxAgeWithoutExpiry = TimeSpan.FromMinutes(10);

    // Renew a little early so a request never leaves with a token that expires on the way.
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt) _current = (first.Token ?? throw new ArgumentException("the first credential has no token", nameof(first)), RenewAt(first, clock));

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (clock.GetUtcNow() < current.RenewAt) return new AuthenticationHeaderValue("Bearer", current.Token);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() >= _current.RenewAt)
            {
                var next = await plugin.RunAsync(cancellationToken);
                _current = (next.Token ?? throw new InvalidCredentialsException("the exec plugin stopped giving a token"), RenewAt(next, clock));
            }
            return new AuthenticationHeaderValue("Bearer", _current.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static DateTimeOffset RenewAt(ExecCredential credential, TimeProvider clock) =>
        credential.Expires is { } expires ? expires - Early : clock.GetUtcNow() + MaxAgeWithoutExpiry;
}
