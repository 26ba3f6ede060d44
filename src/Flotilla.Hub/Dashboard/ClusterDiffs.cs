using Flotilla.Controllers;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Core.Sync;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Hub.Dashboard;

/// <summary>What the next sync of one (bundle, cluster) pair would change, or why there is nothing to show.</summary>
public sealed record ClusterDiff(string? Revision, IReadOnlyList<ObjectDiff> Objects, string? Unavailable)
{
    public static ClusterDiff Not(string why) => new(null, [], why);
}

/// <summary>
/// The bundle page's per-cluster diff: the sync executor's preview (the ChangeSet planner and the server's dry-runs, no
/// writes; Secret values redacted) of the objects the leader's bundle reconcile decided for that cluster — its revision
/// under a rollout, its overrides, its chart render — against the member now. Only the leader holds those decisions;
/// it attaches them while it leads, and other hubs say so.
/// </summary>
public sealed class ClusterDiffs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private Leader? _leader;

    private sealed record Leader(BundleTargets Targets, ClusterDirectory Directory, MemberSyncs Members);

    /// <summary>Serves diffs from the leader's state until the returned handle is disposed (leadership lost).</summary>
    public IDisposable Attach(BundleTargets targets, ClusterDirectory directory, MemberSyncs members)
    {
        var leader = new Leader(targets, directory, members);
        Volatile.Write(ref _leader, leader);
        return new Detach(() => Interlocked.CompareExchange(ref _leader, null, leader));
    }

    public async Task<ClusterDiff> ForAsync(string ns, string name, string cluster, CancellationToken ct)
    {
        if (Volatile.Read(ref _leader) is not { } leader) return ClusterDiff.Not("this hub is not the leader: the diff is planned by the hub that runs the controllers");
        if (leader.Targets.Get(ObjectKey.Of(ns, name)) is not { } target) return ClusterDiff.Not("the bundle has not been reconciled yet");
        if (target.Problem is { } problem) return ClusterDiff.Not($"{problem.Reason}: {problem.Message}");
        if (target.Clusters.GetValueOrDefault(cluster, ClusterIntent.Remove) != ClusterIntent.Sync || leader.Directory.Get(cluster) is not { } resource)
            return ClusterDiff.Not($"the bundle is not placed on {cluster}");
        if (target.RevisionFor(cluster) is not { } revision) return ClusterDiff.Not($"the rollout holds {cluster} back: no revision is synced to it");
        if (target.ManifestsFor(cluster) is not { } manifests) return ClusterDiff.Not(target.WhyNothingFor(cluster));
        if (!ClusterDirectory.IsAvailable(resource)) return ClusterDiff.Not($"{cluster} is not Available");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            var member = await leader.Members.GetAsync(resource, deadline.Token);
            var outcome = await member.Executor.RunAsync(new SyncRequest(ns, name, revision, manifests, target.Policy), apply: false, deadline.Token);
            return new ClusterDiff(revision, ObjectDiff.From(outcome), null);
        }
        catch (Exception e) when (e is ClusterUnreachableException or KubeApiException or InvalidCredentialsException or HttpRequestException or IOException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return ClusterDiff.Not(e is OperationCanceledException ? $"{cluster} did not answer within {Timeout.TotalSeconds:0}s" : $"{cluster}: {e.Message}");
        }
    }

    private sealed class Detach(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
