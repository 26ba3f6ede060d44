using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;

namespace Flotilla.Bench.Sync;

/// <summary>
/// The Bundles of namespace <c>default</c> as one watch (the hub's own <see cref="WatchLoop"/>), open for the whole bench,
/// last saw them. Waiting for a status then reads memory: a GET and a new watch per commit would load the hub's API
/// server (and this process) in the very window Flotilla is timed, which the baselines' windows never carry.
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
                _watching ??= Task.Run(() => new WatchLoop(new DynamicWatchSource(hub, Bundles, null), Store, Task.Delay).RunAsync(CancellationToken.None));
                return _changed.Task;
            }
        }
    }

    public BundleResource? Get(string name)
    {
        lock (_bundles) return _bundles.GetValueOrDefault(name);
    }

    private Task Store(string type, JsonObject o)
    {
        if (o["metadata"]?["namespace"]?.GetValue<string>() != "default") return Task.CompletedTask;
        var name = o["metadata"]!["name"]!.GetValue<string>();
        lock (_bundles)
        {
            if (type == "DELETED") _bundles.Remove(name);
            else _bundles[name] = KubeJson.As<BundleResource>(o.ToJsonString());
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return Task.CompletedTask;
    }
}
