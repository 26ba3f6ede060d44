using System.Collections.Concurrent;
using Flotilla.Core.Services;
using Flotilla.Kube.Services;

namespace Flotilla.Controllers.Services;

/// <summary>
/// The hub's in-memory view of its ClusterSets (rebuilt from the hub and the members after a restart): each set's
/// state, the set each cluster is in, and one <see cref="MemberServiceCache"/> per member cluster. A member cache's
/// change is handed to <see cref="ServiceChanged"/> as work for the set the member is in.
/// </summary>
public sealed class ClusterSetRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ClusterSetState> _sets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MemberServiceCache> _caches = new(StringComparer.Ordinal);

    /// <summary>A service key (<see cref="ServiceQueueKey"/>) whose inputs may have changed.</summary>
    public event Action<string>? ServiceChanged;

    public IReadOnlyCollection<string> SetNames => [.. _sets.Keys];

    public ClusterSetState? Get(string set) => _sets.GetValueOrDefault(set);

    public void Put(ClusterSetState state) => _sets[state.Name] = state;

    public void Remove(string set) => _sets.TryRemove(set, out _);

    /// <summary>The set <paramref name="cluster"/> is in, if any.</summary>
    public string? SetOf(string cluster) => _sets.Values.FirstOrDefault(s => s.Members.Contains(cluster))?.Name;

    public MemberServiceCache? Cache(string cluster) => _caches.GetValueOrDefault(cluster);

    public void AddCache(MemberServiceCache cache) => _caches[cache.Cluster] = cache;

    /// <summary>Stops watching a cluster that is in no set any more.</summary>
    public void DropCache(string cluster)
    {
        if (_caches.TryRemove(cluster, out var cache)) cache.Dispose();
    }

    /// <summary>Every service any member of <paramref name="set"/> exports or holds Flotilla's objects for.</summary>
    public IEnumerable<ServiceKey> ServicesOf(string set) =>
        (Get(set)?.Members ?? []).Select(Cache).OfType<MemberServiceCache>().SelectMany(c => c.Keys).Distinct();

    /// <summary>Queues every service of <paramref name="set"/>.</summary>
    public void TouchAll(string set)
    {
        foreach (var service in ServicesOf(set)) ServiceChanged?.Invoke(ServiceQueueKey.Of(set, service));
    }

    /// <summary>The callback member caches report to: one service, or every service of the member's set.</summary>
    public void MemberChanged(string cluster, ServiceKey? service)
    {
        if (SetOf(cluster) is not { } set) return;
        if (service is null) TouchAll(set);
        else ServiceChanged?.Invoke(ServiceQueueKey.Of(set, service));
    }

    public void Dispose()
    {
        foreach (var cache in _caches.Values) cache.Dispose();
        _caches.Clear();
    }
}
