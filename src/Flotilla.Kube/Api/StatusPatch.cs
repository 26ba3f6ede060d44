using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>
/// The one status write of a reconcile: a JSON Patch that replaces <c>/status</c> whole, with null fields left
/// out — so a cleared error disappears, and no null reaches a schema that wants a string (merge patch would
/// send both wrong).
/// </summary>
public static class StatusPatch
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The default encoder writes '+' as \u002B (HTML safety), six bytes for one in every timestamp: status is not HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A JSON patch that sets the whole status. With <paramref name="resourceVersion"/> (the version the status was built
    /// from) the API server refuses it with 409 Conflict when the object has changed since: a status merged from several
    /// writers' parts (a Cluster's conditions) would otherwise drop what another wrote in between.
    /// </summary>
    public static V1Patch Replace<T>(T status, string? resourceVersion = null)
    {
        var value = JsonSerializer.SerializeToNode(status, Options);
        DropEmptyStrings(value);
        var patch = new JsonArray();
        // The patched object's resourceVersion is the update's precondition, as in an update.
        if (resourceVersion is not null) patch.Add(new JsonObject { ["op"] = "replace", ["path"] = "/metadata/resourceVersion", ["value"] = resourceVersion });
        patch.Add(new JsonObject { ["op"] = "add", ["path"] = "/status", ["value"] = value });
        return new V1Patch(patch.ToJsonString(Options), V1Patch.PatchType.JsonPatch);
    }

    // A v1.20 API server reads "" inside a JSON Patch value as null and then rejects it against the schema's
    // string type; an absent field means the same to every reader.
    private static void DropEmptyStrings(JsonNode? node)
    {
        var pending = new Stack<JsonNode?>([node]);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject o:
                    foreach (var key in o.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0).Select(p => p.Key).ToList()) o.Remove(key);
                    foreach (var (_, child) in o) pending.Push(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) pending.Push(child);
                    break;
            }
        }
    }
}
