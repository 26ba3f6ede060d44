using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>One parsed RFC 6902 operation. <see cref="Value"/> is set for add, replace and test (it may be JSON null).</summary>
internal sealed record JsonPatchOperation(JsonPatchOperationKind Kind, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>
    /// Parses a JSON Patch document (an array of operation objects), reporting every problem with its index:
    /// an unknown <c>op</c>, a bad pointer, a missing <c>value</c> or <c>from</c>, a move into its own child,
    /// removing or moving the whole object.
    /// </summary>
    public static bool TryParseAll(JsonArray document, [NotNullWhen(true)] out IReadOnlyList<JsonPatchOperation>? operations, out IReadOnlyList<string> problems)
    {
        var parsed = new List<JsonPatchOperation>();
        var found = new List<string>();
        for (var i = 0; i < document.Count; i++)
        {
            var at = $"jsonPatch[{i}]";
            if (document[i] is not JsonObject op)
            {
                found.Add($"{at} must be an object with \"op\" and \"path\"");
                continue;
            }

            var kind = ParseKind(op, at, found);
            var path = ParsePointer(op, "path", at, found);
            var from = kind is JsonPatchOperationKind.Move or JsonPatchOperationKind.Copy ? ParsePointer(op, "from", at, found) : null;
            if (kind is JsonPatchOperationKind.Add or JsonPatchOperationKind.Replace or JsonPatchOperationKind.Test && !op.ContainsKey("value"))
                found.Add($"{at}: \"{Name(kind.Value)}\" needs a \"value\"");
            if (kind is null || path is null || (from is null && kind is JsonPatchOperationKind.Move or JsonPatchOperationKind.Copy)) continue;
            if (path.Tokens.IsEmpty && kind is not JsonPatchOperationKind.Test)
            {
                found.Add($"{at}: \"{Name(kind.Value)}\" cannot target the whole object (path \"\")");
                continue;
            }

            if (from is { Tokens.IsEmpty: true })
            {
                found.Add($"{at}: \"from\" cannot be the whole object");
                continue;
            }

            if (kind == JsonPatchOperationKind.Move && path.IsWithin(from!) && path.Tokens.Length > from!.Tokens.Length)
            {
                found.Add($"{at}: cannot move \"{from.Text}\" into its own child \"{path.Text}\"");
                continue;
            }

            parsed.Add(new JsonPatchOperation(kind.Value, path, from, op["value"]));
        }

        operations = found.Count == 0 ? parsed : null;
        problems = found;
        return found.Count == 0;
    }

    private static JsonPatchOperationKind? ParseKind(JsonObject op, string at, List<string> problems)
    {
        var text = op["op"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        JsonPatchOperationKind? kind = text switch
        {
            "add" => JsonPatchOperationKind.Add,
            "remove" => JsonPatchOperationKind.Remove,
            "replace" => JsonPatchOperationKind.Replace,
            "move" => JsonPatchOperationKind.Move,
            "copy" => JsonPatchOperationKind.Copy,
            "test" => JsonPatchOperationKind.Test,
            _ => null,
        };
        if (kind is null)
            problems.Add(text is null ? $"{at}: \"op\" is required" : $"{at}: unknown op \"{text}\" (add, remove, replace, move, copy, test)");
        return kind;
    }

    private static JsonPointer? ParsePointer(JsonObject op, string field, string at, List<string> problems)
    {
        var text = op[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (JsonPointer.TryParse(text, out var pointer, out var problem)) return pointer;
        problems.Add($"{at}: \"{field}\" {problem}");
        return null;
    }

    private static string Name(JsonPatchOperationKind kind) => kind.ToString().ToLowerInvariant();
}
