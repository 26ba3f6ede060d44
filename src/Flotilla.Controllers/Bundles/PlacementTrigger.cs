using System.Text.Json.Nodes;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Watch;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Placement depends on Cluster labels and taints: when a cluster is added, removed, relabelled or (un)tainted,
/// every bundle is queued so it is placed again at once rather than at its next resync.
/// </summary>
public sealed class PlacementTrigger(IWatchSource clusters, Func<CancellationToken, Task<IEnumerable<string>>> bundleKeys, WorkQueue<string> bundles)
{
    private readonly Dictionary<string, string> _placement = new(StringComparer.Ordinal);

    public Task RunAsync(CancellationToken ct) =>
        new WatchLoop(clusters, (type, obj) => ChangedAsync(type, obj, ct), (delay, token) => Task.Delay(delay, token)).RunAsync(ct);

    private async Task ChangedAsync(string type, JsonObject cluster, CancellationToken ct)
    {
        var name = cluster["metadata"]!["name"]!.GetValue<string>();
        var placement = $"{cluster["metadata"]?["labels"]?.ToJsonString()}|{cluster["spec"]?["taints"]?.ToJsonString()}";
        var known = _placement.TryGetValue(name, out var before);
        if (type == "DELETED") _placement.Remove(name);
        else _placement[name] = placement;
        var changed = type == "DELETED" || (known ? before != placement : type != "LISTED");
        if (!changed) return;
        try
        {
            foreach (var key in await bundleKeys(ct)) bundles.Add(key);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            // The hub is briefly unreachable: every bundle still resyncs on its own interval.
        }
    }
}
