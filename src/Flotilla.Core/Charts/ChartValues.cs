using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Charts;

/// <summary>
/// Helm's rules for layering values (<c>-f a.yaml -f b.yaml --set …</c>): a later layer's map is merged into the
/// earlier one key by key, any other value (list, string, number) replaces it whole, and an explicit <c>null</c>
/// removes the key. Layers are never changed; the result is a new tree.
/// </summary>
public static class ChartValues
{
    /// <summary><paramref name="overlay"/> laid over <paramref name="baseValues"/>.</summary>
    public static JsonObject Merge(JsonObject baseValues, JsonObject overlay)
    {
        ArgumentNullException.ThrowIfNull(baseValues);
        ArgumentNullException.ThrowIfNull(overlay);
        var merged = baseValues.DeepClone().AsObject();
        MergeInto(merged, overlay);
        return merged;
    }

    /// <summary>The layers merged in order (the first is the bottom); an empty object when there are none.</summary>
    public static JsonObject MergeAll(IEnumerable<JsonObject> layers) =>
        layers.Aggregate(new JsonObject(), Merge);

    /// <summary>
    /// The values as JSON with every map's keys in ordinal order, so two equal trees give the same text whatever
    /// order they were written in: the render cache key, and the file handed to helm.
    /// </summary>
    public static string Canonical(JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, values);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject map && target[key] is JsonObject existing)
            {
                MergeInto(existing, map);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray list:
                writer.WriteStartArray();
                foreach (var item in list) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
