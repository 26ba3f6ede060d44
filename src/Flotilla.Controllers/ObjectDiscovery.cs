using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Watch;
using k8s;

namespace Flotilla.Controllers;

/// <summary>
/// Feeds a work queue from a watch of hub objects (list, watch with bookmarks, re-list on 410), and — with
/// <c>keepObjects</c>, for the kinds a reconciler reads — keeps each object as the watch last saw it, so reconcilers read
/// it without a request to the hub (as controller-runtime's cache does).
/// A key is added when it first appears, when its version changes (generation, a reconcile request, labels where they
/// matter), and when it is deleted — also when it vanished while the watch was down (a re-list no longer has it).
/// Everything else is left to the reconcilers, which schedule themselves.
/// </summary>
public sealed class ObjectDiscovery(IWatchSource source, Func<JsonObject, (string Key, string Version)> identify, WorkQueue<string> queue,
    bool keepObjects = false)
{
    /// <summary>Annotation the CLI sets to ask for a reconcile now (value: a timestamp).</summary>
    public const string ReconcileRequestAnnotation = "flotilla.io/reconcile-requested-at";

    // Touched by the watch loop only.
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly RelistedKeys _relisted = new();

    // JSON text rather than JsonObjects: every reader deserializes its own copy, so none can change another's.
    private readonly ConcurrentDictionary<string, string> _objects = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on the watch loop for every object seen (its key and body) and every one gone (body null).</summary>
    public event Action<string, JsonObject?>? Observed;

    /// <summary>Every key the watch holds now (kept objects only).</summary>
    public IReadOnlyCollection<string> Keys => [.. _objects.Keys];

    public Task RunAsync(CancellationToken ct) =>
        new WatchLoop(source, Changed, (delay, token) => Task.Delay(delay, token), Listed).RunAsync(ct);

    /// <summary>The object under <paramref name="key"/> as last seen, or null when there is none; waits for the first list.</summary>
    public async Task<T?> GetAsync<T>(string key, CancellationToken ct) where T : class
    {
        if (!keepObjects) throw new InvalidOperationException("this watch keeps no objects");
        await _listed.Task.WaitAsync(ct);
        return _objects.TryGetValue(key, out var json) ? KubernetesJson.Deserialize<T>(json) : null;
    }

    private Task Changed(string type, JsonObject obj)
    {
        var (key, version) = identify(obj);
        if (type == "DELETED")
        {
            Gone(key);
            return Task.CompletedTask;
        }
        if (type == "LISTED") _relisted.Listed(key);
        if (keepObjects) _objects[key] = obj.ToJsonString();
        Observed?.Invoke(key, obj);
        if (!_versions.TryGetValue(key, out var seen) || seen != version)
        {
            _versions[key] = version;
            queue.Add(key);
        }
        return Task.CompletedTask;
    }

    private Task Listed()
    {
        // What a re-list no longer has was deleted while the watch was down: its reconcile must see it gone.
        foreach (var key in _relisted.Vanished(_versions.Keys)) Gone(key);
        _listed.TrySetResult();
        return Task.CompletedTask;
    }

    private void Gone(string key)
    {
        _objects.TryRemove(key, out _);
        _versions.Remove(key);
        Observed?.Invoke(key, null);
        queue.Add(key);
    }

    /// <summary>The version that matters for most kinds: generation plus a reconcile request (and, for a Bundle, a rollout command).</summary>
    public static string Version(JsonObject obj) =>
        $"{obj["metadata"]?["generation"]}/{obj["metadata"]?["annotations"]?[ReconcileRequestAnnotation]}/{obj["metadata"]?["annotations"]?[Rollouts.RolloutCommandRequest.Annotation]}";

    /// <summary>Key of a namespaced object.</summary>
    public static string NamespacedKey(JsonObject obj) =>
        ObjectKey.Of(obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());
}
