using System.Text.Json.Nodes;

namespace Flotilla.Core.Sync;

/// <summary>Replaces Secret values in a before/after pair, keeping only whether each key changed — never a value or a hash of it.</summary>
public static class SecretRedactor
{
    public const string Redacted = "<redacted>";
    public const string RedactedChanged = "<redacted: changed>";

    // kubectl's client-side apply keeps the whole object, Secret values included, in this annotation.
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// Redacts <c>data</c>, <c>stringData</c> and kubectl's last-applied annotation (which holds the values too)
    /// in place when the pair is a Secret.
    /// </summary>
    public static void Redact(JsonObject? before, JsonObject? after)
    {
        if ((after ?? before)?["kind"]?.GetValue<string>() != "Secret") return;
        RedactKeys(before?["data"] as JsonObject, after?["data"] as JsonObject);
        RedactKeys(before?["stringData"] as JsonObject, after?["stringData"] as JsonObject);
        RedactKeys(before?["metadata"]?["annotations"] as JsonObject, after?["metadata"]?["annotations"] as JsonObject, LastApplied);
    }

    private static void RedactKeys(JsonObject? b, JsonObject? a, string? only = null)
    {
        foreach (var key in (b?.Select(p => p.Key) ?? []).Union(a?.Select(p => p.Key) ?? []).Where(k => only is null || k == only).ToList())
        {
            var same = b?[key]?.ToJsonString() == a?[key]?.ToJsonString();
            if (b?.ContainsKey(key) == true) b[key] = Redacted;
            if (a?.ContainsKey(key) == true) a[key] = same ? Redacted : RedactedChanged;
        }
    }
}
