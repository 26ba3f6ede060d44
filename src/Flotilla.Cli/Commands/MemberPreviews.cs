using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Commands;

/// <summary>
/// Runs the sync executor on members as a preview — the same planner and server-side dry-runs as a sync, no writes;
/// Secret values redacted by <see cref="ObjectDiff"/>. The members are held as the hub holds them (<see cref="MemberSyncs"/>:
/// one executor and watch cache per member for the command's life), so every bundle previewed on a member shares its
/// discovery and cache. Nothing is queued: a preview does not react to what it sees change.
/// </summary>
public sealed class MemberPreviews(MemberClients clients) : IDisposable
{
    private const int ObjectParallelism = 32;

    private readonly MemberSyncs _members = new(clients, (_, _) => { }, ObjectParallelism);

    /// <summary>What syncing <paramref name="request"/> to the cluster would do, object by object, in plan order.</summary>
    public async Task<IReadOnlyList<ObjectDiff>> DryRunAsync(ClusterResource cluster, SyncRequest request, CancellationToken ct) =>
        ObjectDiff.From(await (await _members.GetAsync(cluster, ct)).Executor.RunAsync(request, apply: false, ct));

    /// <summary>What the hub would delete from a cluster the bundle leaves (nothing with <c>deletionPolicy: Orphan</c>).</summary>
    public async Task<IReadOnlyList<ObjectDiff>> RemovalAsync(ClusterResource cluster, BundleResource bundle, CancellationToken ct) =>
        ObjectDiff.From(await (await _members.GetAsync(cluster, ct)).Executor.PreviewRemovalAsync(
            OwnershipLabels.ValueFor(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name), deleteObjects: bundle.Spec.DeletionPolicy != "Orphan", ct));

    public void Dispose() => _members.Dispose();
}
