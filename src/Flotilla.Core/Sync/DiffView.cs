using System.Text.Json.Nodes;

namespace Flotilla.Core.Sync;

/// <summary>
/// The form <c>flotilla diff</c> shows an object in: without server bookkeeping (status, managedFields, versions,
/// uid, timestamps) and without Flotilla's desired-hash (a hash over Secret values is a secret too), keys in ordinal
/// order at every level as kubectl diff shows them, and Secret values redacted on both sides.
/// </summary>
public static class DiffView
{
    private static readonly string[] Bookkeeping = ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"];

    /// <summary>The redacted, comparable pair (before = live, after = what the server would store).</summary>
    public static (JsonObject? Before, JsonObject? After) Of(JsonObject? live, JsonObject? after)
    {
        var (b, a) = (Comparable(live), Comparable(after));
        SecretRedactor.Redact(b, a);
        return (b, a);
    }

    private static JsonObject? Comparable(JsonObject? obj)
    {
        if (obj is null) return null;
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject m)
        {
            foreach (var field in Bookkeeping) m.Remove(field);
            if (m["annotations"] is JsonObject annotations)
            {
                annotations.Remove(OwnershipLabels.DesiredHash);
                if (annotations.Count == 0) m.Remove("annotations");
            }
        }
        return Sorted(copy)!.AsObject();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
