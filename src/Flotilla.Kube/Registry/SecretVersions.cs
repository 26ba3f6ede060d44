using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Registry;

/// <summary>
/// The resourceVersion of every Secret in the namespaces asked about, from one metadata-only watch per namespace
/// (list, watch, re-list on 410; started at the first question), so the hub can tell that a member's credentials are
/// unchanged without reading them, and sees a rotation when it happens. No Secret's data is kept or even received.
/// Where the hub may not list and watch Secrets (its in-cluster Role grants that in <c>flotilla-system</c> only),
/// the namespace never finishes its list and every answer is "not known": the caller reads the Secret instead.
/// </summary>
public sealed class SecretVersions(DynamicClient hub) : IDisposable
{
    private static readonly ApiResource Secrets = new("", "v1", "Secret", "secrets", true);

    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// True when the namespace's watch has listed it: then <paramref name="version"/> is the Secret's resourceVersion as
    /// last seen, or null when there is no such Secret.
    /// </summary>
    public bool TryGet(string ns, string name, out string? version)
    {
        var watched = _namespaces.GetOrAdd(ns, Start);
        version = watched.Listed ? watched.Versions.GetValueOrDefault(name) : null;
        return watched.Listed;
    }

    private Namespace Start(string ns)
    {
        var watched = new Namespace();
        var loop = new WatchLoop(new DynamicWatchSource(hub, Secrets, null, metadataOnly: true, ns: ns),
            (type, obj) => { watched.Apply(type, obj); return Task.CompletedTask; },
            (delay, token) => Task.Delay(delay, token),
            () => { watched.FinishList(); return Task.CompletedTask; });
        _ = Task.Run(() => loop.RunAsync(_stop.Token));
        return watched;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed class Namespace
    {
        private ConcurrentDictionary<string, string> _listing = new(StringComparer.Ordinal);
        private volatile bool _listed;

        public ConcurrentDictionary<string, string> Versions { get; private set; } = new(StringComparer.Ordinal);

        public bool Listed => _listed;

        public void Apply(string type, JsonObject obj)
        {
            var metadata = obj["metadata"];
            if (metadata?["name"]?.GetValue<string>() is not { } name) return;
            var version = metadata["resourceVersion"]?.GetValue<string>() ?? "";
            switch (type)
            {
                case "LISTED": _listing[name] = version; break;
                case "DELETED": Versions.TryRemove(name, out _); break;
                default: Versions[name] = version; break;
            }
        }

        // A list (the first, or a re-list after 410) replaces what the watch saw: Secrets deleted meanwhile are gone.
        public void FinishList()
        {
            Versions = _listing;
            _listing = new(StringComparer.Ordinal);
            _listed = true;
        }
    }
}
