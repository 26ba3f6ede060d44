using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;

namespace Flotilla.Kube.Cache;

/// <summary>
/// Cached objects, each parsed only when it is looked up (and then kept as parsed for this sync): a bundle's sync
/// looks at its own objects, not at the thousands of others of the same kinds on that member.
/// </summary>
public sealed class LiveObjects(IReadOnlyDictionary<ObjectRef, CachedObject> cached) : IReadOnlyDictionary<ObjectRef, JsonObject>
{
    private readonly ConcurrentDictionary<ObjectRef, JsonObject> _parsed = new();

    public JsonObject this[ObjectRef key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key.ToString());

    public bool TryGetValue(ObjectRef key, [MaybeNullWhen(false)] out JsonObject value)
    {
        if (!cached.TryGetValue(key, out var entry))
        {
            value = null;
            return false;
        }
        value = _parsed.GetOrAdd(key, _ => entry.Parse());
        return true;
    }

    public bool ContainsKey(ObjectRef key) => cached.ContainsKey(key);

    /// <summary>The cached object's resourceVersion, without parsing it (null when it is not cached).</summary>
    public string? VersionOf(ObjectRef key) => cached.TryGetValue(key, out var entry) ? entry.Version : null;

    /// <summary>The object's health (Missing when it is not cached), judged once per resourceVersion.</summary>
    public HealthAssessment HealthOf(ObjectRef key) => cached.TryGetValue(key, out var entry) ? entry.Health : HealthAssessor.Assess(null);

    public int Count => cached.Count;

    public IEnumerable<ObjectRef> Keys => cached.Keys;

    public IEnumerable<JsonObject> Values => Keys.Select(k => this[k]);

    public IEnumerator<KeyValuePair<ObjectRef, JsonObject>> GetEnumerator() => Keys.Select(k => KeyValuePair.Create(k, this[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
