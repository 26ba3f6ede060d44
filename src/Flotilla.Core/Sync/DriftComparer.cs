using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Sync.Normalization;

namespace Flotilla.Core.Sync;

/// <summary>
/// Pure comparisons between a desired object and its live copy. Only the fields the desired object sets
/// are compared (server defaults and other managers' fields are not drift); metadata is compared only
/// through labels and annotations. What the API server normalises is not drift either (see
/// <c>Normalization/README.md</c>): a quantity in another spelling (<c>2000m</c> = <c>2</c>), a zero value the
/// server omits (<c>data: {}</c>, <c>apiGroup: ""</c>, <c>false</c>), Secret <c>stringData</c> stored as
/// <c>data</c>, defaulted RBAC subjects and the rules of an aggregated ClusterRole.
/// </summary>
public static class DriftComparer
{
    private static readonly string[] IgnoredMetadata = ["name", "namespace", "resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink"];

    /// <summary>True when every field <paramref name="desired"/> sets has the same value in <paramref name="live"/>.</summary>
    public static bool Matches(JsonObject desired, JsonObject live) => FirstDifference(desired, live) is null;

    /// <summary>The path of the first desired field whose live value differs (e.g. <c>spec.replicas</c>), or null.</summary>
    public static string? FirstDifference(JsonObject desired, JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);

        // Explicit stack instead of recursion: manifests are depth-capped at render, but this stays safe regardless.
        var stack = new Stack<Pair>();
        foreach (var (key, value) in StoredForm.Of(desired))
        {
            if (key == "status") continue;
            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                    if (!IgnoredMetadata.Contains(mk)) stack.Push(new(mv, live["metadata"]?[mk], $"metadata.{mk}", mk, "metadata"));
                continue;
            }
            stack.Push(new(value, live[key], key, key, null));
        }
        while (stack.Count > 0)
        {
            var (d, l, path, key, parent) = stack.Pop();
            // The server omits zero values of omitempty fields ({}, [], "", false, 0): asking for one is having it.
            if (d is null || (IsAbsent(l) && IsZero(d))) continue;
            switch (d)
            {
                case JsonObject dObj:
                    if (l is not JsonObject lObj) return path;
                    foreach (var (k, v) in dObj) stack.Push(new(v, lObj[k], $"{path}.{k}", k, key));
                    break;
                case JsonArray dArr:
                    if (l is not JsonArray lArr || lArr.Count != dArr.Count) return path;
                    for (var i = 0; i < dArr.Count; i++) stack.Push(new(dArr[i], lArr[i], $"{path}[{i}]", key + "[]", parent));
                    break;
                case JsonValue dVal:
                    if (l is not JsonValue lVal || !(ScalarEquals(dVal, lVal) || SameQuantity(dVal, lVal, key, parent))) return path;
                    break;
            }
        }
        return null;
    }

    /// <summary>A stable hash of the desired object (canonical JSON, keys sorted) to recognise "already applied".</summary>
    public static string DesiredHash(JsonObject desired)
    {
        var canonical = new StringBuilder();
        Canonical(desired, canonical);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..32].ToLowerInvariant();
    }

    /// <summary>
    /// The field manager other than <paramref name="ownManager"/> that wrote the object last (by managedFields time),
    /// which is who a drift is attributed to; null when only we wrote it.
    /// </summary>
    public static string? LastOtherManager(JsonObject live, string ownManager)
    {
        var entries = live["metadata"]?["managedFields"] as JsonArray;
        return entries?.OfType<JsonObject>()
            .Where(e => e["manager"]?.GetValue<string>() is { } m && m != ownManager)
            .Where(e => e["subresource"] is null || e["subresource"]!.GetValue<string>() != "status")
            .OrderByDescending(e => e["time"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
            .Select(e => e["manager"]!.GetValue<string>())
            .FirstOrDefault();
    }

    private static bool ScalarEquals(JsonValue a, JsonValue b)
    {
        var (ka, kb) = (a.GetValueKind(), b.GetValueKind());
        // Nodes parsed from YAML hold long/double, nodes from the API hold JsonElement: compare numbers by value.
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
            return double.Parse(a.ToJsonString(), CultureInfo.InvariantCulture) == double.Parse(b.ToJsonString(), CultureInfo.InvariantCulture);
        return ka == kb && a.ToJsonString() == b.ToJsonString();
    }

    private static bool IsAbsent(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    /// <summary>{}, [], "", false, 0 — or a map holding only such values (the server omits each of them in turn).</summary>
    private static bool IsZero(JsonNode node)
    {
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.TryPop(out var next))
        {
            switch (next)
            {
                case null:
                    continue;
                case JsonObject o:
                    foreach (var (_, value) in o) pending.Push(value);
                    continue;
                case JsonArray a when a.Count > 0:
                    return false;
                case JsonValue v when !IsZeroScalar(v):
                    return false;
            }
        }
        return true;
    }

    private static bool IsZeroScalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValueKind.False or JsonValueKind.Null => true,
        JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    /// <summary>
    /// Quantity fields are stored canonically (<c>2000m</c> as <c>2</c>, <c>1024Mi</c> as <c>1Gi</c>, a YAML number
    /// as a string): equal when both sides parse as quantities of the same value.
    /// </summary>
    private static bool SameQuantity(JsonValue desired, JsonValue live, string key, string? parent) =>
        QuantityFields.Holds(key, parent)
        && QuantityText(desired) is { } d && Quantity.TryParse(d, out var dq)
        && QuantityText(live) is { } l && Quantity.TryParse(l, out var lq)
        && dq == lq;

    private static string? QuantityText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    private readonly record struct Pair(JsonNode? Desired, JsonNode? Live, string Path, string Key, string? Parent);

    private static void Canonical(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case JsonObject o:
                output.Append('{');
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    output.Append(JsonSerializer.Serialize(k)).Append(':');
                    Canonical(v, output);
                    output.Append(',');
                }
                output.Append('}');
                break;
            case JsonArray a:
                output.Append('[');
                foreach (var item in a)
                {
                    Canonical(item, output);
                    output.Append(',');
                }
                output.Append(']');
                break;
            default:
                output.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
