using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// Checks that a push webhook came from the Git host that knows the shared secret. Pure; comparisons are
/// constant-time. A missing or malformed header is simply not verified (false), never an exception.
/// </summary>
public static class WebhookSignature
{
    private const string Sha256Prefix = "sha256=";

    /// <summary>
    /// GitHub (and Gitea/Forgejo) style: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>.
    /// </summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signatureHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (signatureHeader is null || !signatureHeader.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)) return false;

        var hex = signatureHeader.AsSpan(Sha256Prefix.Length).Trim();
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (hex.Length != given.Length * 2
            || Convert.FromHexString(hex, given, out _, out var written) != OperationStatus.Done
            || written != given.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>
    /// GitLab style: <c>X-Gitlab-Token</c> carries the secret itself. Both sides are hashed first so neither
    /// the content nor the length of the secret leaks through timing.
    /// </summary>
    public static bool VerifyToken(string secret, string? tokenHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (tokenHeader is null) return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)),
            SHA256.HashData(Encoding.UTF8.GetBytes(tokenHeader)));
    }
}
