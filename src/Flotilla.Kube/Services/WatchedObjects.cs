using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Services;

/// <summary>
/// One kind on one member as a watch keeps it (list → watch with bookmarks → re-list on 410, <see cref="WatchLoop"/>),
/// by namespace/name, managedFields dropped. A re-list replaces the whole set, so what vanished meanwhile goes too.
/// Every change after the first list is reported with the object as it was before and after (either may be null).
/// </summary>
public sealed class WatchedObjects(DynamicClient client, ApiResource resource, string? labelSelector, bool metadataOnly,
    Action<JsonObject?, JsonObject?> changed)
{
    private ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, JsonObject> _listing = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ApiResource Resource => resource;

    /// <summary>Completes once the first list is in.</summary>
    public Task Listed => _listed.Task;

    public ICollection<JsonObject> All => _objects.Values;

    public JsonObject? Get(string ns, string name) => _objects.GetValueOrDefault(Id(ns, name));

    public Task RunAsync(CancellationToken ct) =>
        new WatchLoop(new DynamicWatchSource(client, resource, labelSelector, metadataOnly), Apply, (delay, token) => Task.Delay(delay, token), FinishList).RunAsync(ct);

    private Task Apply(string type, JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata) metadata.Remove("managedFields");
        var id = IdOf(obj);
        switch (type)
        {
            case "LISTED":
                _listing[id] = obj;
                break;
            case "DELETED":
                _objects.TryRemove(id, out var gone);
                changed(gone ?? obj, null);
                break;
            default:
                var before = _objects.GetValueOrDefault(id);
                _objects[id] = obj;
                changed(before, obj);
                break;
        }
        return Task.CompletedTask;
    }

    private Task FinishList()
    {
        var previous = _objects;
        _objects = _listing;
        _listing = new(StringComparer.Ordinal);
        if (_listed.Task.IsCompleted)
        {
            // A re-list (after 410 or a lost watch) reports what changed or vanished meanwhile.
            foreach (var (id, obj) in _objects)
                if (!previous.TryGetValue(id, out var before) || Version(before) != Version(obj)) changed(before, obj);
            foreach (var (id, obj) in previous)
                if (!_objects.ContainsKey(id)) changed(obj, null);
        }
        _listed.TrySetResult();
        return Task.CompletedTask;
    }

    private static string? Version(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static string IdOf(JsonObject obj) =>
        Id(obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]?["name"]?.GetValue<string>() ?? "");

    private static string Id(string ns, string name) => $"{ns}/{name}";
}
