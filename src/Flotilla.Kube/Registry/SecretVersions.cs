using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Registry;

/// <summary>
/// The resourceVersion of every Secret in the namespaces asked about, from one metadata-only watch per namespace
/// (started at the first question), so the hub can tell that a member's credentials are unchanged without reading
/// them, and sees a rotation when the watch does. Only names and versions are kept. A namespace is known only while
/// its watch is up: from the end of a list until the watch fails, after which it is listed again. Where the hub may
/// not list and watch Secrets (its in-cluster Role grants that in <c>flotilla-system</c> only) a namespace is never
/// known, and the caller reads the Secret instead.
/// </summary>
public sealed class SecretVersions(Func<string, IWatchSource> watchOf) : IDisposable
{
    private static readonly ApiResource Secrets = new("", "v1", "Secret", "secrets", true);

    /// <summary>The Secrets of the hub's namespaces, as metadata.</summary>
    public SecretVersions(DynamicClient hub) : this(ns => new DynamicWatchSource(hub, Secrets, null, metadataOnly: true, ns: ns)) { }

    /// <summary>How long a watch that ended on something its loop does not retry waits before it starts over.</summary>
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<Namespace>> _namespaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// True when the namespace's watch is up: then <paramref name="version"/> is the Secret's resourceVersion as last
    /// seen, or null when there is no such Secret.
    /// </summary>
    public bool TryGet(string ns, string name, out string? version)
    {
        var versions = _namespaces.GetOrAdd(ns, n => new Lazy<Namespace>(() => Start(n))).Value.Known;
        version = versions?.GetValueOrDefault(name);
        return versions is not null;
    }

    private Namespace Start(string ns)
    {
        var watched = new Namespace();
        var loop = new WatchLoop(watchOf(ns),
            (type, obj) => { watched.Apply(type, obj); return Task.CompletedTask; },
            (delay, token) => { watched.Lost(); return Task.Delay(delay, token); },
            () => { watched.FinishList(); return Task.CompletedTask; },
            relistAfterFailure: true);
        _ = Task.Run(() => RunAsync(loop, watched, _stop.Token));
        return watched;
    }

    // The loop retries what it knows to retry; anything else (a malformed event) ends it, and it starts over from a list.
    private static async Task RunAsync(WatchLoop loop, Namespace watched, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await loop.RunAsync(stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                watched.Lost();
                try { await Task.Delay(RestartDelay, stop); }
                catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException) { }
        }
    }

    public void Dispose() => _stop.Cancel();

    private sealed class Namespace
    {
        private readonly ConcurrentDictionary<string, string> _versions = new(StringComparer.Ordinal);
        private Dictionary<string, string> _listing = new(StringComparer.Ordinal);
        private volatile bool _up;

        /// <summary>The versions by name while the watch is up, else null.</summary>
        public IReadOnlyDictionary<string, string>? Known => _up ? _versions : null;

        public void Apply(string type, JsonObject obj)
        {
            var metadata = obj["metadata"];
            if (metadata?["name"]?.GetValue<string>() is not { } name) return;
            var version = metadata["resourceVersion"]?.GetValue<string>() ?? "";
            switch (type)
            {
                case "LISTED": _listing[name] = version; break;
                case "DELETED": _versions.TryRemove(name, out _); break;
                default: _versions[name] = version; break;
            }
        }

        // A list replaces what the watch saw before it failed: Secrets deleted meanwhile are gone.
        public void FinishList()
        {
            foreach (var name in _versions.Keys.Where(n => !_listing.ContainsKey(n))) _versions.TryRemove(name, out _);
            foreach (var (name, version) in _listing) _versions[name] = version;
            _listing = new(StringComparer.Ordinal);
            _up = true;
        }

        public void Lost()
        {
            _up = false;
            _listing = new(StringComparer.Ordinal);
        }
    }
}
