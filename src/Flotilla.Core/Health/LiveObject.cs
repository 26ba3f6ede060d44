using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Health;

/// <summary>
/// Tolerant read access to a live object. A field of an unexpected type reads as absent, so a
/// malformed status never throws; assessors decide what absence means.
/// </summary>
internal sealed class LiveObject
{
    private readonly JsonObject _body;

    public LiveObject(JsonObject body)
    {
        _body = body;
    }

    public string Group
    {
        get
        {
            var apiVersion = String("apiVersion") ?? string.Empty;
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? string.Empty : apiVersion[..slash];
        }
    }

    public string Kind => String("kind") ?? string.Empty;

    public long? Generation => Int64("metadata", "generation");

    public long? ObservedGeneration => Int64("status", "observedGeneration");

    public bool IsBeingDeleted => Node("metadata", "deletionTimestamp") is not null;

    /// <summary>True when <c>status.observedGeneration</c> is present and older than <c>metadata.generation</c>.</summary>
    public bool IsGenerationUnobserved =>
        Generation is { } generation && ObservedGeneration is { } observed && observed < generation;

    public JsonNode? Node(params ReadOnlySpan<string> path)
    {
        JsonNode? current = _body;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    public JsonObject? Object(params ReadOnlySpan<string> path) => Node(path) as JsonObject;

    public JsonArray? Array(params ReadOnlySpan<string> path) => Node(path) as JsonArray;

    public string? String(params ReadOnlySpan<string> path) => AsString(Node(path));

    public long? Int64(params ReadOnlySpan<string> path) => AsInt64(Node(path));

    public bool? Boolean(params ReadOnlySpan<string> path) =>
        Node(path) is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValueKind() == JsonValueKind.True
            : null;

    /// <summary>The condition of this type in <c>status.conditions</c>, if present and well-formed.</summary>
    public Condition? Condition(string type)
    {
        if (Array("status", "conditions") is not { } conditions)
        {
            return null;
        }

        foreach (var item in conditions)
        {
            if (item is JsonObject c && AsString(c["type"]) == type)
            {
                return new Condition(
                    type,
                    AsString(c["status"]) ?? "Unknown",
                    AsString(c["reason"]) ?? string.Empty,
                    AsString(c["message"]) ?? string.Empty,
                    AsInt64(c["observedGeneration"]));
            }
        }

        return null;
    }

    public static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? AsInt64(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<double>(out var d) && double.IsInteger(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            return (long)d;
        }

        return value.TryGetValue<decimal>(out var m) && decimal.IsInteger(m) && m is >= long.MinValue and <= long.MaxValue
            ? (long)m
            : null;
    }
}
