using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Per member, for as long as its client lives: the <see cref="DynamicClient"/>, the watch cache of Flotilla's
/// objects there, and the sync executor. A change someone else makes to a managed object queues its (bundle,
/// cluster) pair — at once for a possible drift, after a short delay for status-only changes (health refresh).
/// </summary>
public sealed class MemberSyncs(MemberClients clients, Action<string, TimeSpan> queue, int objectParallelism) : IDisposable
{
    /// <summary>How long status-only changes are gathered before the pair looks again.</summary>
    public static readonly TimeSpan HealthRefreshDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly WatchedChanges _changes = new();

    // One preparation of each desired object for the whole fleet.
    private readonly DesiredObjects _prepared = new();

    /// <summary>Write requests sent to members (for /metrics).</summary>
    public long Writes => _members.Values.Sum(m => m.Client.Client.Writes);

    /// <summary>Kinds watched per member (what tests wait on before they change an object behind Flotilla's back).</summary>
    public IReadOnlyDictionary<string, int> WatchedKinds => _members.ToDictionary(m => m.Key, m => m.Value.Client.Cache.Kinds.Count, StringComparer.Ordinal);

    /// <summary>Per member, its adaptive request limit now (for /metrics).</summary>
    public IReadOnlyDictionary<string, int> ConcurrencyLimits => _members.ToDictionary(m => m.Key, m => m.Value.Client.Client.Concurrency.Limit, StringComparer.Ordinal);

    public sealed record Member(MemberClusterClient Client, ClusterSyncExecutor Executor);

    public async Task<Member> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var client = await clients.GetAsync(cluster, ct);
        if (_members.TryGetValue(name, out var known) && ReferenceEquals(known.Client.Client.Client, client)) return known;
        var dynamic = new DynamicClient(client);
        var cache = new MemberObjectCache(dynamic, (type, obj) => Changed(name, type, obj));
        var memberClient = new MemberClusterClient(dynamic, cache);
        var member = new Member(memberClient, new ClusterSyncExecutor(memberClient, objectParallelism, _prepared));
        var stored = _members.AddOrUpdate(name, member, (_, old) => ReferenceEquals(old.Client.Client.Client, client) ? old : Replace(old, member));
        if (!ReferenceEquals(stored, member)) cache.Dispose();
        return stored;
    }

    /// <summary>Stops the watches of a member that left the registry.</summary>
    public void Forget(string cluster)
    {
        if (_members.TryRemove(cluster, out var member)) member.Client.Cache.Dispose();
    }

    private static Member Replace(Member old, Member fresh)
    {
        old.Client.Cache.Dispose();
        return fresh;
    }

    private void Changed(string cluster, string type, JsonObject obj)
    {
        var change = _changes.Classify(cluster, type, obj);
        if (change == WatchedChange.OwnWrite) return;
        if (obj["metadata"]?["annotations"]?[OwnershipLabels.BundleName]?.GetValue<string>() is not { } bundle || !bundle.Contains('/')) return;
        queue(ClusterSyncKey.Of(bundle, cluster), change == WatchedChange.StatusOnly ? HealthRefreshDelay : TimeSpan.Zero);
    }

    public void Dispose()
    {
        foreach (var member in _members.Values) member.Client.Cache.Dispose();
        _members.Clear();
    }
}
