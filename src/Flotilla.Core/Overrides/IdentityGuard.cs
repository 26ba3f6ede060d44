using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// An override may change anything but what the object is: apiVersion, kind, metadata.namespace and metadata.name.
/// Changing those would make it another object (and leave the original to be pruned), so it is an error.
/// </summary>
internal static class IdentityGuard
{
    private static readonly (string Path, string[] Tokens)[] Fields =
    [
        ("/apiVersion", ["apiVersion"]),
        ("/kind", ["kind"]),
        ("/metadata/namespace", ["metadata", "namespace"]),
        ("/metadata/name", ["metadata", "name"]),
    ];

    public static ChangeProblem? Check(JsonObject original, JsonObject changed)
    {
        foreach (var (path, tokens) in Fields)
        {
            // An absent namespace and an empty one are the same identity.
            if (!string.Equals(Text(original, tokens) ?? "", Text(changed, tokens) ?? "", StringComparison.Ordinal))
                return new ChangeProblem(OverrideErrorCode.IdentityChanged, path, $"an override may not change {path[1..].Replace('/', '.')} (the object's identity)");
        }

        return null;
    }

    private static string? Text(JsonObject body, string[] tokens)
    {
        JsonNode? node = body;
        foreach (var token in tokens) node = node is JsonObject obj ? obj[token] : null;
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
    }
}
