using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Cache;

/// <summary>
/// The hub's copy of the objects it manages on one member: per managed kind, a list → watch (bookmarks, re-list on
/// 410) of the objects carrying Flotilla's label, kept whole (managedFields reduced to who wrote when) as compact
/// JSON (<see cref="CachedObject"/>). Syncs plan from it, so a no-op resync reads nothing from the member. A kind is watched from the first sync that needs it;
/// <see cref="EnsureAsync"/> returns once each asked-for kind has finished its first list (prune waits for that).
/// Changes made by others are reported to <c>onChange</c> (type, object); the first list is not.
/// </summary>
public sealed class MemberObjectCache(DynamicClient client, Action<string, JsonObject>? onChange = null) : IDisposable
{
    private readonly ConcurrentDictionary<ApiResource, KindCache> _kinds = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Kinds being watched.</summary>
    public IReadOnlyCollection<ApiResource> Kinds => [.. _kinds.Keys];

    /// <summary>Starts watching kinds not yet watched and waits until every one of them has been listed once.</summary>
    public async Task EnsureAsync(IEnumerable<ApiResource> kinds, CancellationToken ct)
    {
        var waits = kinds.Distinct().Select(k => _kinds.GetOrAdd(k, Start).Listed.WaitAsync(ct)).ToList();
        await Task.WhenAll(waits);
    }

    /// <summary>
    /// The managed objects of <paramref name="kinds"/> (each must have been ensured), by identity: a view of the
    /// caches, not a copy. A member's caches hold every bundle's objects of those kinds and a sync looks up only its
    /// own, so copying them all for each sync cost time and memory in proportion to the member, not to the bundle.
    /// </summary>
    public IReadOnlyDictionary<ObjectRef, JsonObject> Live(IEnumerable<ApiResource> kinds) =>
        new LiveObjects(new KindsView([.. kinds.Distinct().Select(k => _kinds.GetValueOrDefault(k)).OfType<KindCache>()]));

    /// <summary>Takes in what the hub itself just wrote, so the next plan sees it before the watch echoes it.</summary>
    public void Observe(ApiResource kind, JsonObject written)
    {
        if (!_kinds.TryGetValue(kind, out var cache)) return;
        if (written["metadata"]?["labels"]?[OwnershipLabels.ManagedBy] is null) return;
        cache.Upsert(RefOf(Reduced(kind, written)), new CachedObject(written));
    }

    /// <summary>Forgets an object the hub itself just deleted.</summary>
    public void Removed(ApiResource kind, ObjectRef reference)
    {
        if (_kinds.TryGetValue(kind, out var cache)) cache.Objects.TryRemove(reference, out _);
    }

    private KindCache Start(ApiResource kind)
    {
        var cache = new KindCache(kind);
        var source = new DynamicWatchSource(client, kind, $"{OwnershipLabels.ManagedBy}={OwnershipLabels.ManagedByValue}");
        var loop = new WatchLoop(source,
            (type, obj) => { Apply(kind, cache, type, obj); return Task.CompletedTask; },
            (delay, token) => Task.Delay(delay, token),
            () => { cache.FinishList(onChange); return Task.CompletedTask; });
        _ = Task.Run(() => loop.RunAsync(_stop.Token));
        return cache;
    }

    private void Apply(ApiResource kind, KindCache cache, string type, JsonObject obj)
    {
        var reduced = Reduced(kind, obj);
        var reference = RefOf(reduced);
        switch (type)
        {
            case "LISTED":
                cache.Listing[reference] = new CachedObject(reduced);
                return;
            case "DELETED":
                cache.Objects.TryRemove(reference, out _);
                break;
            default:
                // The echo of the hub's own write is already kept (Observe): no second copy made.
                if (!cache.Holds(reference, reduced["metadata"]?["resourceVersion"]?.GetValue<string>())) cache.Upsert(reference, new CachedObject(reduced));
                break;
        }
        onChange?.Invoke(type, reduced);
    }

    /// <summary>The object as kept: apiVersion and kind set (lists omit them), managedFields without their field sets.</summary>
    private static JsonObject Reduced(ApiResource kind, JsonObject obj)
    {
        obj["apiVersion"] ??= kind.GroupVersion;
        obj["kind"] ??= kind.Kind;
        if (obj["metadata"]?["managedFields"] is JsonArray fields)
            foreach (var entry in fields.OfType<JsonObject>()) entry.Remove("fieldsV1");
        return obj;
    }

    /// <summary>The identity of a stored object (apiVersion and kind are always set on stored objects).</summary>
    public static ObjectRef RefOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return new ObjectRef(group, version, obj["kind"]?.GetValue<string>() ?? "",
            obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]?["name"]?.GetValue<string>() ?? "");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed class KindCache(ApiResource kind)
    {
        public ApiResource Kind => kind;

        private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<ObjectRef, CachedObject> Objects { get; private set; } = new();

        /// <summary>Objects of the list in progress; swapped in whole when it completes (a re-list drops what vanished).</summary>
        public ConcurrentDictionary<ObjectRef, CachedObject> Listing { get; private set; } = new();

        public Task Listed => _listed.Task;

        public bool Holds(ObjectRef reference, string? version) =>
            version is not null && Objects.TryGetValue(reference, out var kept) && kept.Version == version;

        public void Upsert(ObjectRef reference, CachedObject obj) =>
            Objects.AddOrUpdate(reference, obj, (_, existing) => obj.IsNewerThan(existing) ? obj : existing);

        public void FinishList(Action<string, JsonObject>? onChange)
        {
            var previous = Objects;
            Objects = Listing;
            Listing = new();
            if (_listed.Task.IsCompleted && onChange is not null)
            {
                // A re-list (after 410 or a lost watch) reports what changed or vanished meanwhile.
                foreach (var (reference, obj) in Objects)
                    if (!previous.TryGetValue(reference, out var before) || before.Version != obj.Version) onChange("MODIFIED", obj.Parse());
                foreach (var (reference, obj) in previous)
                    if (!Objects.ContainsKey(reference)) onChange("DELETED", obj.Parse());
            }
            _listed.TrySetResult();
        }
    }

    /// <summary>The objects of several kinds' caches as one dictionary; each lookup goes to the cache of its kind.</summary>
    private sealed class KindsView(KindCache[] caches) : IReadOnlyDictionary<ObjectRef, CachedObject>
    {
        public CachedObject this[ObjectRef key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key.ToString());

        public bool TryGetValue(ObjectRef key, [MaybeNullWhen(false)] out CachedObject value)
        {
            foreach (var cache in caches)
                if (cache.Kind.Kind == key.Kind && cache.Kind.Group == key.Group && cache.Objects.TryGetValue(key, out value)) return true;
            value = null;
            return false;
        }

        public bool ContainsKey(ObjectRef key) => TryGetValue(key, out _);

        public IEnumerable<ObjectRef> Keys => caches.SelectMany(c => c.Objects.Keys).Distinct();

        public IEnumerable<CachedObject> Values => Keys.Select(k => this[k]);

        public int Count => Keys.Count();

        public IEnumerator<KeyValuePair<ObjectRef, CachedObject>> GetEnumerator() => Keys.Select(k => KeyValuePair.Create(k, this[k])).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
