using System.Collections.Concurrent;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Commands;

/// <summary>
/// Runs the sync executor on members as a preview — the same planner and server-side dry-runs as a sync, no writes;
/// Secret values redacted by <see cref="ObjectDiff"/>. One executor per member for the command's life, as the hub keeps
/// one: the member's discovery and its watch cache of Flotilla's objects serve every bundle previewed there.
/// </summary>
public sealed class MemberPreviews(MemberClients clients) : IDisposable
{
    private readonly ConcurrentDictionary<string, (MemberObjectCache Cache, ClusterSyncExecutor Executor)> _members = new(StringComparer.Ordinal);

    /// <summary>What syncing <paramref name="request"/> to the cluster would do, object by object, in plan order.</summary>
    public async Task<IReadOnlyList<ObjectDiff>> DryRunAsync(ClusterResource cluster, SyncRequest request, CancellationToken ct) =>
        ObjectDiff.From(await (await ExecutorAsync(cluster, ct)).RunAsync(request, apply: false, ct));

    /// <summary>What the hub would delete from a cluster the bundle leaves (nothing with <c>deletionPolicy: Orphan</c>).</summary>
    public async Task<IReadOnlyList<ObjectDiff>> RemovalAsync(ClusterResource cluster, BundleResource bundle, CancellationToken ct) =>
        ObjectDiff.From(await (await ExecutorAsync(cluster, ct)).PreviewRemovalAsync(
            OwnershipLabels.ValueFor(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name), deleteObjects: bundle.Spec.DeletionPolicy != "Orphan", ct));

    private async Task<ClusterSyncExecutor> ExecutorAsync(ClusterResource cluster, CancellationToken ct)
    {
        if (_members.TryGetValue(cluster.Metadata.Name, out var known)) return known.Executor;
        var dynamic = new DynamicClient(await clients.GetAsync(cluster, ct));
        var cache = new MemberObjectCache(dynamic);
        var member = (cache, new ClusterSyncExecutor(new MemberClusterClient(dynamic, cache)));
        if (_members.TryAdd(cluster.Metadata.Name, member)) return member.Item2;
        cache.Dispose();
        return _members[cluster.Metadata.Name].Executor;
    }

    public void Dispose()
    {
        foreach (var member in _members.Values) member.Cache.Dispose();
        _members.Clear();
    }
}
