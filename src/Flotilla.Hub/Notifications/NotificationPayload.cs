using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// Pure: the body a webhook gets for a notice — Flotilla's JSON (<c>Generic</c>) or a Slack incoming-webhook body
/// (<c>Slack</c>: a <c>text</c> field) — and its signature, <c>sha256=</c> + hex HMAC-SHA256 of the exact body bytes
/// with the Notification's key (header <see cref="SignatureHeader"/>), so a receiver can check who sent it.
/// </summary>
public static class NotificationPayload
{
    public const string SignatureHeader = "X-Flotilla-Signature";

    public static byte[] Body(FleetNotice notice, string format, DateTimeOffset at) => format switch
    {
        "Slack" => JsonSerializer.SerializeToUtf8Bytes(new { text = Text(notice) }),
        _ => JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = notice.Kind.ToString(), kind = notice.ObjectKind, @namespace = notice.Namespace, name = notice.Name,
            revision = notice.Revision, message = notice.Message, clusters = notice.Clusters, time = at.UtcDateTime.ToString("O"),
        }),
    };

    public static string Sign(byte[] body, byte[] key) => "sha256=" + Convert.ToHexString(HMACSHA256.HashData(key, body)).ToLowerInvariant();

    private static string Text(FleetNotice n)
    {
        var text = new StringBuilder($"*{n.Kind}* {n.ObjectKind} `{(n.Namespace is null ? "" : n.Namespace + "/")}{n.Name}`");
        if (n.Revision is { } r) text.Append($" at `{(r.Length > 12 ? r[..12] : r)}`");
        text.Append(": ").Append(n.Message);
        return text.ToString();
    }
}
