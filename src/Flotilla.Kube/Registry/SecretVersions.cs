using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Registry;

/// <summary>
/// The resourceVersion of every Secret in the namespaces asked about, from one metadata-only watch per namespace
/// (started at the first question), so the hub can tell that a Secret it uses (a member's credentials, a
/// GitRepository's key) is unchanged without reading it, and sees a rotation when the watch does. Only names and
/// versions are kept. A namespace is known only while its watch is up: from the end of a list until the watch fails,
/// after which it is listed again. Where the hub may not list and watch Secrets (its in-cluster Role grants that in
/// <c>flotilla-system</c> only) a namespace is never known, and the caller reads the Secret instead:
/// <paramref name="watchable"/> names the namespaces worth a watch (the in-cluster hub: its own), so the hub does not
/// ask for what its RBAC refuses; a namespace whose list is refused anyway (403) is tried again only after
/// <see cref="ForbiddenRetry"/>.
/// </summary>
public sealed class SecretVersions(Func<string, IWatchSource> watchOf, Func<string, bool>? watchable = null,
    Func<TimeSpan, CancellationToken, Task>? delay = null) : IDisposable
{
    private static readonly ApiResource Secrets = new("", "v1", "Secret", "secrets", true);

    /// <summary>The Secrets of the hub's namespaces (those <paramref name="watchable"/> allows, all when null), as metadata.</summary>
    public SecretVersions(DynamicClient hub, Func<string, bool>? watchable = null)
        : this(ns => new DynamicWatchSource(hub, Secrets, null, metadataOnly: true, ns: ns), watchable) { }

    /// <summary>How long a watch that ended on something its loop does not retry waits before it starts over.</summary>
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long a namespace whose list the hub API server refused waits before it is listed again (its RBAC may grant only <c>get</c>).</summary>
    public static readonly TimeSpan ForbiddenRetry = TimeSpan.FromMinutes(10);

    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? ((wait, token) => Task.Delay(wait, token));

    private readonly ConcurrentDictionary<string, Lazy<Namespace>> _namespaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// True when the namespace's watch is up: then <paramref name="version"/> is the Secret's resourceVersion as last
    /// seen, or null when there is no such Secret.
    /// </summary>
    public bool TryGet(string ns, string name, out string? version)
    {
        version = null;
        if (watchable is not null && !watchable(ns)) return false;
        var versions = _namespaces.GetOrAdd(ns, n => new Lazy<Namespace>(() => Start(n))).Value.Known;
        version = versions?.GetValueOrDefault(name);
        return versions is not null;
    }

    private Namespace Start(string ns)
    {
        var watched = new Namespace();
        var source = new RefusalAware(watchOf(ns));
        var loop = new WatchLoop(source,
            (type, obj) => { watched.Apply(type, obj); return Task.CompletedTask; },
            (wait, token) => { watched.Lost(); return _delay(source.Refused ? ForbiddenRetry : wait, token); },
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

    /// <summary>A watch source that remembers whether its last list was refused (403).</summary>
    private sealed class RefusalAware(IWatchSource inner) : IWatchSource
    {
        public bool Refused { get; private set; }

        public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
        {
            try
            {
                var listed = await inner.ListAsync(ct);
                Refused = false;
                return listed;
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
            {
                Refused = true;
                throw;
            }
        }

        public IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, CancellationToken ct) => inner.WatchAsync(resourceVersion, ct);
    }

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
