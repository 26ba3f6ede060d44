using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Bench.Sync;

/// <summary>
/// The Bundles of namespace <c>default</c> as one watch, open for the whole bench, last saw them. Waiting for a status
/// then reads memory: a GET and a new watch per commit would load the hub's API server (and this process) in the very
/// window Flotilla is timed, which the baselines' windows never carry.
/// </summary>
public sealed class WatchedBundles(DynamicClient hub)
{
    private static readonly ApiResource Bundles = new(FlotillaApi.Group, FlotillaApi.Version, "Bundle", BundleResource.Plural, true);
    private readonly Dictionary<string, BundleResource> _bundles = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _watching;

    /// <summary>Completes at the next change seen (take it before reading, so no change falls between the two).</summary>
    public Task Changed
    {
        get
        {
            lock (_bundles)
            {
                _watching ??= Task.Run(WatchAsync);
                return _changed.Task;
            }
        }
    }

    public BundleResource? Get(string name)
    {
        lock (_bundles) return _bundles.GetValueOrDefault(name);
    }

    private async Task WatchAsync()
    {
        while (true)
        {
            try
            {
                var list = await hub.ListAsync(Bundles, "default", null, CancellationToken.None);
                foreach (var item in list["items"]!.AsArray()) Store("ADDED", item!.AsObject());
                var version = list["metadata"]!["resourceVersion"]!.GetValue<string>();
                await foreach (var (type, o) in hub.WatchAsync(Bundles, null, version, TimeSpan.FromMinutes(5), CancellationToken.None))
                    Store(type, o);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
            {
                await Task.Delay(200); // expired (410) or broken: list again
            }
        }
    }

    private void Store(string type, JsonObject o)
    {
        if (type == "BOOKMARK" || o["metadata"]?["namespace"]?.GetValue<string>() != "default") return;
        var name = o["metadata"]!["name"]!.GetValue<string>();
        lock (_bundles)
        {
            if (type == "DELETED") _bundles.Remove(name);
            else _bundles[name] = KubeJson.As<BundleResource>(o.ToJsonString());
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
