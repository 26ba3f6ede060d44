using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Tells a watched object's status-only change (a controller reporting progress) from one that may be drift.
/// For kinds with a generation, the API server bumps it on every spec change; labels and annotations are compared
/// here. A MODIFIED event that moves neither can only have touched status (or server bookkeeping), so it asks for
/// a health refresh, not an immediate drift check. Objects without a generation (ConfigMaps, …) and every added
/// or deleted object always count as possible drift.
/// </summary>
public sealed class StatusOnlyChanges
{
    private readonly ConcurrentDictionary<string, (long Generation, string Metadata)> _seen = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="obj"/> (seen on <paramref name="cluster"/>) and says whether only its status can have changed.</summary>
    public bool IsStatusOnly(string cluster, string type, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var key = $"{cluster}/{metadata?["uid"]?.GetValue<string>()}";
        if (type == "DELETED")
        {
            _seen.TryRemove(key, out _);
            return false;
        }
        var generation = metadata?["generation"]?.GetValue<long>() ?? 0;
        var current = (generation, $"{metadata?["labels"]?.ToJsonString()}|{metadata?["annotations"]?.ToJsonString()}");
        var known = _seen.TryGetValue(key, out var previous);
        _seen[key] = current;
        return type == "MODIFIED" && generation > 0 && known && previous == current;
    }
}
