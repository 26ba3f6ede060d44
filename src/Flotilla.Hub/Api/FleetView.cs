using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Controllers;
using Flotilla.Hub.Notifications;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.Hub.Api;

/// <summary>
/// The dashboard's and the read API's copy of the hub: Clusters, Bundles, GitRepositories, Notifications and the Events about them,
/// kept current by watches (list once, then changes), so a page view never asks the hub API server anything.
/// <see cref="Changed"/> fires after each change (the live updates of the pages ride on it).
/// Every hub process runs one, leader or not: a standby hub serves pages too.
/// </summary>
public sealed class FleetView
{
    /// <summary>How many Events are kept (the newest); older ones leave the view, not the hub.</summary>
    public const int EventCapacity = 500;

    private readonly ConcurrentDictionary<string, ClusterResource> _clusters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BundleView> _bundles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GitRepositoryResource> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Corev1Event> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NotificationResource> _notifications = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>A change of one object: its kind (<c>cluster</c>, <c>bundle</c>, <c>source</c>, <c>event</c>) and key.</summary>
    public event Action<string, string>? Changed;

    /// <summary>Increases with every change; a cache of derived data (the matrix) is valid while it stays the same.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyCollection<ClusterResource> Clusters => [.. _clusters.Values];

    public IReadOnlyCollection<BundleView> Bundles => [.. _bundles.Values];

    public IReadOnlyCollection<GitRepositoryResource> Sources => [.. _sources.Values];

    /// <summary>The webhooks to send notices to (<see cref="FleetNotifier"/>).</summary>
    public IReadOnlyCollection<NotificationResource> Notifications => [.. _notifications.Values];

    public ClusterResource? Cluster(string name) => _clusters.GetValueOrDefault(name);

    /// <summary>The Notification with key <c>namespace/name</c> (<see cref="ObjectKey.Of"/>), if it exists.</summary>
    public NotificationResource? Notification(string key) => _notifications.GetValueOrDefault(key);

    public BundleView? Bundle(string ns, string name) => _bundles.GetValueOrDefault(ObjectKey.Of(ns, name));

    public GitRepositoryResource? Source(string ns, string name) => _sources.GetValueOrDefault(ObjectKey.Of(ns, name));

    /// <summary>The kept Events, newest first.</summary>
    public IReadOnlyList<Corev1Event> Events =>
        [.. _events.Values.OrderByDescending(EventTime).ThenBy(e => e.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>Puts an object in the view (what the watches call; tests and the benchmark fill a view the same way).</summary>
    public void Apply(string type, ClusterResource cluster) =>
        Put(_clusters, "cluster", cluster.Metadata.Name, type == "DELETED" ? null : cluster);

    public void Apply(string type, BundleResource bundle) =>
        Put(_bundles, "bundle", ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name), type == "DELETED" ? null : new BundleView(bundle));

    public void Apply(string type, GitRepositoryResource source) =>
        Put(_sources, "source", ObjectKey.Of(source.Metadata.NamespaceProperty, source.Metadata.Name), type == "DELETED" ? null : source);

    public void Apply(string type, NotificationResource notification) =>
        Put(_notifications, "notification", ObjectKey.Of(notification.Metadata.NamespaceProperty, notification.Metadata.Name), type == "DELETED" ? null : notification);

    public void Apply(string type, Corev1Event evt)
    {
        if (evt.InvolvedObject?.ApiVersion?.StartsWith(FlotillaApi.Group + "/", StringComparison.Ordinal) != true) return;
        Put(_events, "event", ObjectKey.Of(evt.Metadata.NamespaceProperty, evt.Metadata.Name), type == "DELETED" ? null : evt);
        if (_events.Count <= EventCapacity) return;
        foreach (var old in _events.Values.OrderBy(EventTime).Take(_events.Count - EventCapacity).ToList())
            _events.TryRemove(ObjectKey.Of(old.Metadata.NamespaceProperty, old.Metadata.Name), out _);
    }

    /// <summary>Watches the five kinds on <paramref name="hub"/> until <paramref name="ct"/> ends.</summary>
    public Task RunAsync(Kubernetes hub, CancellationToken ct)
    {
        var api = new DynamicClient(hub);
        Task Watch<T>(ApiResource resource, Action<string, T> apply) =>
            new WatchLoop(new DynamicWatchSource(api, resource, null),
                (type, obj) => { apply(type, Read<T>(obj)); return Task.CompletedTask; },
                (delay, token) => Task.Delay(delay, token)).RunAsync(ct);
        return Task.WhenAll(
            Watch<ClusterResource>(new(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterKind, FlotillaApi.ClusterPlural, false), Apply),
            Watch<BundleResource>(new(FlotillaApi.Group, FlotillaApi.Version, "Bundle", BundleResource.Plural, true), Apply),
            Watch<GitRepositoryResource>(new(FlotillaApi.Group, FlotillaApi.Version, "GitRepository", GitRepositoryResource.Plural, true), Apply),
            Watch<NotificationResource>(new(FlotillaApi.Group, FlotillaApi.Version, "Notification", FlotillaApi.NotificationPlural, true), Apply),
            Watch<Corev1Event>(new("", "v1", "Event", "events", true), Apply));
    }

    private static T Read<T>(JsonObject obj) => KubernetesJson.Deserialize<T>(obj.ToJsonString());

    private void Put<T>(ConcurrentDictionary<string, T> map, string kind, string key, T? value) where T : class
    {
        if (value is null) map.TryRemove(key, out _);
        else map[key] = value;
        Interlocked.Increment(ref _version);
        Changed?.Invoke(kind, key);
    }

    private static DateTime EventTime(Corev1Event e) =>
        e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue;
}
