using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Bundles;

/// <summary>What a watch event on a managed object asks of its bundle.</summary>
public enum WatchedChange
{
    /// <summary>Flotilla's own write echoing back: nothing to look at.</summary>
    OwnWrite,

    /// <summary>Only status can have changed (a controller reporting progress): a health refresh, not urgent.</summary>
    StatusOnly,

    /// <summary>Anything else, including every first sighting and delete: look now, it may be drift.</summary>
    PossibleDrift,
}

/// <summary>
/// Classifies watch events by comparing each object with how it was last seen on that cluster.
/// <list type="bullet">
/// <item>Our own write moves the time of Flotilla's managedFields entry forward; nobody else's write does. (Who
/// wrote last cannot be read from the times alone: they have one-second resolution, and an edit that only
/// removes a field leaves no entry of its own.)</item>
/// <item>For kinds with a generation, the API server bumps it on every spec change; labels and annotations are
/// compared here. An event that moves neither can only have touched status.</item>
/// </list>
/// </summary>
public sealed class WatchedChanges
{
    private readonly ConcurrentDictionary<string, (long Generation, UInt128 Metadata, string OwnTime)> _seen = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="obj"/> (a metadata-only object seen on <paramref name="cluster"/>) and classifies the event.</summary>
    public WatchedChange Classify(string cluster, string type, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var key = $"{cluster}/{metadata?["uid"]?.GetValue<string>()}";
        if (type == "DELETED")
        {
            _seen.TryRemove(key, out _);
            return WatchedChange.PossibleDrift;
        }
        var generation = metadata?["generation"]?.GetValue<long>() ?? 0;
        (long Generation, UInt128 Metadata, string OwnTime) current =
            (generation, Digest($"{metadata?["labels"]?.ToJsonString()}|{metadata?["annotations"]?.ToJsonString()}"), OwnTime(metadata));
        var known = _seen.TryGetValue(key, out var previous);
        _seen[key] = current;
        if (type != "MODIFIED" || !known) return WatchedChange.PossibleDrift;
        if (string.CompareOrdinal(current.OwnTime, previous.OwnTime) > 0) return WatchedChange.OwnWrite;
        return generation > 0 && current == previous
            ? WatchedChange.StatusOnly
            : WatchedChange.PossibleDrift;
    }

    // Labels and annotations are kept as a digest: annotations can hold a whole object (kubectl's last-applied), and
    // this is kept for every managed object of every member.
    private static UInt128 Digest(string text) => BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string OwnTime(JsonObject? metadata) =>
        (metadata?["managedFields"] as JsonArray)?.OfType<JsonObject>()
            .Where(e => e["manager"]?.GetValue<string>() == FlotillaApi.FieldManager)
            .Select(e => e["time"]?.GetValue<string>() ?? "")
            .Order(StringComparer.Ordinal)
            .LastOrDefault() ?? "";
}
