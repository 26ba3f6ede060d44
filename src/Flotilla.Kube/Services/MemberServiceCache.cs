using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;
using Flotilla.Core.Sync;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Services;

/// <summary>
/// What the hub watches on one member for multi-cluster services: ServiceExports, Services, ServiceImports, the
/// Services' own EndpointSlices (label <c>kubernetes.io/service-name</c>), the slices Flotilla copied in (label
/// <c>flotilla.io/cluster-set</c>) and Namespaces (metadata only). A change is reported as the service it concerns,
/// or null when it may concern every service (a namespace, or a list completed). <see cref="View"/> maps what is kept
/// to the planner's <see cref="MemberServiceView"/>.
/// </summary>
public sealed class MemberServiceCache : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<WatchedObjects> _kinds;
    private readonly WatchedObjects _exports, _services, _imports, _slices, _copies, _namespaces;

    private MemberServiceCache(string cluster, DynamicClient client, ApiResource slices, Action<string, ServiceKey?> changed)
    {
        Cluster = cluster;
        Client = client;
        SliceResource = slices;
        void Named(JsonObject? before, JsonObject? after) => changed(cluster, KeyOf(after ?? before, null));
        void Sliced(string label, JsonObject? before, JsonObject? after)
        {
            foreach (var obj in new[] { before, after })
                if (KeyOf(obj, label) is { } key) changed(cluster, key);
        }
        _exports = new(client, McsResources.ServiceExport, null, false, Named);
        _services = new(client, McsResources.Service, null, false, Named);
        _imports = new(client, McsResources.ServiceImport, null, false, Named);
        _slices = new(client, slices, McsNames.LocalServiceNameLabel, false, (b, a) => Sliced(McsNames.LocalServiceNameLabel, b, a));
        _copies = new(client, slices, McsNames.ClusterSetLabel, false, (b, a) => Sliced(McsNames.ServiceNameLabel, b, a));
        _namespaces = new(client, McsResources.Namespace, null, true, (_, _) => changed(cluster, null));
        _kinds = [_exports, _services, _imports, _slices, _copies, _namespaces];
        _ = Task.WhenAll(_kinds.Select(k => k.Listed)).ContinueWith(_ => changed(cluster, null), TaskScheduler.Default);
    }

    public string Cluster { get; }

    public DynamicClient Client { get; }

    /// <summary>The EndpointSlice resource this member serves (discovered).</summary>
    public ApiResource SliceResource { get; }

    /// <summary>True once every kind has been listed: the member's views are complete.</summary>
    public bool Listed => _kinds.All(k => k.Listed.IsCompletedSuccessfully);

    /// <summary>Discovers the member's EndpointSlice version and starts watching; changes go to <paramref name="changed"/>.</summary>
    public static async Task<MemberServiceCache> StartAsync(string cluster, DynamicClient client, Action<string, ServiceKey?> changed, CancellationToken ct)
    {
        var cache = new MemberServiceCache(cluster, client, await McsResources.EndpointSliceAsync(client, ct), changed);
        foreach (var kind in cache._kinds) _ = Task.Run(() => kind.RunAsync(cache._stop.Token));
        return cache;
    }

    /// <summary>Every service this member exports or holds Flotilla's objects for.</summary>
    public IEnumerable<ServiceKey> Keys =>
        _exports.All.Select(o => KeyOf(o, null)!)
            .Concat(_imports.All.Where(IsFlotillas).Select(o => KeyOf(o, null)!))
            .Concat(_copies.All.Select(o => KeyOf(o, McsNames.ServiceNameLabel)).OfType<ServiceKey>())
            .Distinct();

    /// <summary>True when Flotilla's copies of <paramref name="source"/>'s endpoints are in this member.</summary>
    public bool HoldsCopiesFrom(string source) => _copies.All.Any(c => Label(c, McsNames.SourceClusterLabel) == source);

    /// <summary>The Service of that name in this member, as watched (null when there is none).</summary>
    public JsonObject? Service(ServiceKey key) => _services.Get(key.Namespace, key.Name);

    /// <summary>The ServiceExport of that name in this member (null when there is none).</summary>
    public JsonObject? Export(ServiceKey key) => _exports.Get(key.Namespace, key.Name);

    /// <summary>Flotilla's ServiceImports in this member (any set).</summary>
    public IEnumerable<JsonObject> Imports => _imports.All.Where(IsFlotillas);

    /// <summary>Flotilla's slice copies in this member (any set).</summary>
    public IEnumerable<JsonObject> Copies => _copies.All;

    /// <summary>The member as the planner sees it for <paramref name="key"/> (not observed until every kind was listed).</summary>
    public MemberServiceView View(ServiceKey key)
    {
        if (!Listed) return new(Cluster, false, false, SliceResource.GroupVersion, null, null, [], null, false, []);
        var import = _imports.Get(key.Namespace, key.Name);
        var ours = import is not null && IsFlotillas(import);
        return new MemberServiceView(
            Cluster, true, _namespaces.Get("", key.Namespace) is not null, SliceResource.GroupVersion,
            ServiceMapping.Export(_exports.Get(key.Namespace, key.Name)),
            ServiceMapping.Service(_services.Get(key.Namespace, key.Name)),
            [.. _slices.All.Where(s => Namespace(s) == key.Namespace && Label(s, McsNames.LocalServiceNameLabel) == key.Name)
                .OrderBy(s => s["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)],
            ours ? new WrittenObject(key.Name, null, ImportedObjects.HashOf(import!)) : null,
            import is not null && !ours,
            [.. _copies.All.Where(s => Namespace(s) == key.Namespace && Label(s, McsNames.ServiceNameLabel) == key.Name)
                .Select(s => new WrittenObject(s["metadata"]!["name"]!.GetValue<string>(), Label(s, McsNames.SourceClusterLabel), ImportedObjects.HashOf(s)))]);
    }

    private static bool IsFlotillas(JsonObject obj) => Label(obj, OwnershipLabels.ManagedBy) == OwnershipLabels.ManagedByValue;

    private static string? Label(JsonObject? obj, string label) => obj?["metadata"]?["labels"]?[label]?.GetValue<string>();

    private static string Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    /// <summary>The service an object concerns: its own name, or (for slices) the name in <paramref name="label"/>.</summary>
    private static ServiceKey? KeyOf(JsonObject? obj, string? label)
    {
        if (obj is null) return null;
        var name = label is null ? obj["metadata"]?["name"]?.GetValue<string>() : Label(obj, label);
        return name is null ? null : new ServiceKey(Namespace(obj), name);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
