using System.Text.Json.Nodes;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Watch;

namespace Flotilla.Controllers;

/// <summary>
/// Feeds a work queue from a watch of hub objects (list, watch with bookmarks, re-list on 410): a key is added
/// when it first appears, when its version changes (generation, a reconcile request, labels where they matter),
/// and when it is deleted. Everything else is left to the reconcilers, which schedule themselves.
/// </summary>
public sealed class ObjectDiscovery(IWatchSource source, Func<JsonObject, (string Key, string Version)> identify, WorkQueue<string> queue)
{
    /// <summary>Annotation the CLI sets to ask for a reconcile now (value: a timestamp).</summary>
    public const string ReconcileRequestAnnotation = "flotilla.io/reconcile-requested-at";

    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    public Task RunAsync(CancellationToken ct) =>
        new WatchLoop(source, Changed, (delay, token) => Task.Delay(delay, token)).RunAsync(ct);

    private Task Changed(string type, JsonObject obj)
    {
        var (key, version) = identify(obj);
        if (type == "DELETED")
        {
            _versions.Remove(key);
            queue.Add(key);
        }
        else if (!_versions.TryGetValue(key, out var seen) || seen != version)
        {
            _versions[key] = version;
            queue.Add(key);
        }
        return Task.CompletedTask;
    }

    /// <summary>The version that matters for most kinds: generation plus a reconcile request (and, for a Bundle, a rollout command).</summary>
    public static string Version(JsonObject obj) =>
        $"{obj["metadata"]?["generation"]}/{obj["metadata"]?["annotations"]?[ReconcileRequestAnnotation]}/{obj["metadata"]?["annotations"]?[Rollouts.RolloutCommandRequest.Annotation]}";

    /// <summary>Key of a namespaced object.</summary>
    public static string NamespacedKey(JsonObject obj) =>
        ObjectKey.Of(obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());
}
