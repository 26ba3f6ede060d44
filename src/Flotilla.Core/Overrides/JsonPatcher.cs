using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Applies parsed RFC 6902 operations to an object in place, stopping at the first that fails. Per the RFC, every
/// parent of a target must exist (only the last token may be new, for add, move and copy); an array index is
/// <c>0…count-1</c>, or <c>count</c>/<c>-</c> to append with add.
/// </summary>
internal static class JsonPatcher
{
    public static ChangeProblem? Apply(JsonObject body, IReadOnlyList<JsonPatchOperation> operations)
    {
        foreach (var op in operations)
        {
            var problem = op.Kind switch
            {
                JsonPatchOperationKind.Add => Add(body, op.Path, op.Value?.DeepClone()),
                JsonPatchOperationKind.Remove => Remove(body, op.Path, out _),
                JsonPatchOperationKind.Replace => Replace(body, op.Path, op.Value?.DeepClone()),
                JsonPatchOperationKind.Move => Move(body, op.From!, op.Path),
                JsonPatchOperationKind.Copy => Copy(body, op.From!, op.Path),
                JsonPatchOperationKind.Test => Test(body, op.Path, op.Value),
            };
            if (problem is not null) return problem;
        }

        return null;
    }

    /// <summary>The node at <paramref name="pointer"/>, or false when some token of it does not exist.</summary>
    public static bool TryGet(JsonObject body, JsonPointer pointer, out JsonNode? node)
    {
        node = body;
        foreach (var token in pointer.Tokens)
        {
            switch (node)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    node = child;
                    break;
                case JsonArray array when JsonPointer.TryIndex(token, out var i) && i < array.Count:
                    node = array[i];
                    break;
                default:
                    node = null;
                    return false;
            }
        }

        return true;
    }

    private static ChangeProblem? Add(JsonObject body, JsonPointer path, JsonNode? value)
    {
        if (!TryGetParent(body, path, out var parent)) return ChangeProblem.NotFound(path.Text);
        var last = path.Tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return null;
            case JsonArray array when last == "-":
                array.Add(value);
                return null;
            case JsonArray array when JsonPointer.TryIndex(last, out var i) && i <= array.Count:
                array.Insert(i, value);
                return null;
            default:
                return ChangeProblem.NotFound(path.Text);
        }
    }

    private static ChangeProblem? Remove(JsonObject body, JsonPointer path, out JsonNode? removed)
    {
        removed = null;
        if (!TryGetParent(body, path, out var parent)) return ChangeProblem.NotFound(path.Text);
        var last = path.Tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out removed):
                obj.Remove(last);
                return null;
            case JsonArray array when JsonPointer.TryIndex(last, out var i) && i < array.Count:
                removed = array[i];
                array.RemoveAt(i);
                return null;
            default:
                return ChangeProblem.NotFound(path.Text);
        }
    }

    private static ChangeProblem? Replace(JsonObject body, JsonPointer path, JsonNode? value)
    {
        if (!TryGet(body, path, out _)) return ChangeProblem.NotFound(path.Text);
        TryGetParent(body, path, out var parent);
        var last = path.Tokens[^1];
        if (parent is JsonObject obj) obj[last] = value;
        else if (parent is JsonArray array && JsonPointer.TryIndex(last, out var i)) array[i] = value;
        return null;
    }

    private static ChangeProblem? Move(JsonObject body, JsonPointer from, JsonPointer path)
    {
        if (from.Text == path.Text) return TryGet(body, from, out _) ? null : ChangeProblem.NotFound(from.Text);
        var problem = Remove(body, from, out var value);
        return problem ?? Add(body, path, value);
    }

    private static ChangeProblem? Copy(JsonObject body, JsonPointer from, JsonPointer path) =>
        TryGet(body, from, out var value) ? Add(body, path, value?.DeepClone()) : ChangeProblem.NotFound(from.Text);

    private static ChangeProblem? Test(JsonObject body, JsonPointer path, JsonNode? expected)
    {
        if (!TryGet(body, path, out var actual)) return ChangeProblem.NotFound(path.Text);
        return JsonNode.DeepEquals(actual, expected)
            ? null
            : new ChangeProblem(OverrideErrorCode.TestFailed, path.Text, $"test of \"{path.Text}\" failed: the value differs");
    }

    private static bool TryGetParent(JsonObject body, JsonPointer path, out JsonNode? parent)
    {
        parent = null;
        return path.Tokens.Length > 0 && TryGet(body, JsonPointer.FromTokens([.. path.Tokens[..^1]]), out parent) && parent is JsonObject or JsonArray;
    }
}
