using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Health;

namespace Flotilla.Kube.Cache;

/// <summary>
/// One object as the watch cache keeps it: its compact UTF-8 JSON, not a node tree. A tree of a small ConfigMap costs
/// about ten times its JSON, and a node parsed from a list page keeps the whole page's buffer alive; at thousands of
/// objects per member that was most of the hub's memory. Parsed again only when a sync looks at it.
/// </summary>
public sealed class CachedObject
{
    private readonly byte[] _json;

    public CachedObject(JsonObject obj)
    {
        _json = JsonSerializer.SerializeToUtf8Bytes(obj);
        Version = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
    }

    public string? Version { get; }

    /// <summary>
    /// The object's health, judged once: health is a pure function of the object, and a cached object is one
    /// resourceVersion, so a sync of a bundle whose objects did not move parses none of them to report it.
    /// </summary>
    public HealthAssessment Health => _health ??= HealthAssessor.Assess(Parse());

    private HealthAssessment? _health;

    /// <summary>A fresh copy of the object (the caller may keep or change it).</summary>
    public JsonObject Parse() => JsonNode.Parse(_json)!.AsObject();

    /// <summary>resourceVersions are opaque, but etcd's are integers: compare them so a late echo never replaces a newer write.</summary>
    public bool IsNewerThan(CachedObject existing) =>
        !long.TryParse(Version, out var c) || !long.TryParse(existing.Version, out var e) || c >= e;
}
