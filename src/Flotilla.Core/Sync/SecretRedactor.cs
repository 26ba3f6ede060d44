using System.Text.Json.Nodes;

namespace Flotilla.Core.Sync;

/// <summary>Replaces Secret values in a before/after pair, keeping only whether each key changed — never a value or a hash of it.</summary>
public static class SecretRedactor
{
    public const string Redacted = "<redacted>";
    public const string RedactedChanged = "<redacted: changed>";

    /// <summary>Redacts <c>data</c> and <c>stringData</c> in place when the pair is a Secret.</summary>
    public static void Redact(JsonObject? before, JsonObject? after)
    {
        if ((after ?? before)?["kind"]?.GetValue<string>() != "Secret") return;
        foreach (var field in new[] { "data", "stringData" })
        {
            var (b, a) = (before?[field] as JsonObject, after?[field] as JsonObject);
            foreach (var key in (b?.Select(p => p.Key) ?? []).Union(a?.Select(p => p.Key) ?? []).ToList())
            {
                var same = b?[key]?.ToJsonString() == a?[key]?.ToJsonString();
                if (b?.ContainsKey(key) == true) b[key] = Redacted;
                if (a?.ContainsKey(key) == true) a[key] = same ? Redacted : RedactedChanged;
            }
        }
    }
}
