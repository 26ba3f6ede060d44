using System.Collections.Immutable;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Services;
using k8s;

namespace Flotilla.Controllers.Services;

/// <summary>
/// Reconciles one ClusterSet: decides its members (a cluster is in at most one set, the oldest that selects it),
/// installs the MCS CRDs on each reachable member and starts watching it, runs every member's endpoint lifetime
/// (<see cref="EndpointLifetime"/>) on the Cluster's Available condition, removes what Flotilla wrote for the set from
/// a cluster that left it, queues the set's services when anything they depend on changed, and writes the status
/// (members, excluded clusters and why, Ready). Looks again when a lifetime decision falls due, and every 30 s.
/// </summary>
public sealed class ClusterSetReconciler(IKubernetes hub, ClusterDirectory directory, MemberClients clients, ClusterSetRegistry registry,
    TimeProvider clock) : IReconciler<string>
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CrdTimeout = TimeSpan.FromSeconds(30);

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        await directory.Ready.WaitAsync(ct);
        var sets = KubeJson.As<ClusterSetResourceList>(await hub.CustomObjects.ListClusterCustomObjectAsync(
            FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, cancellationToken: ct)).Items;
        var set = sets.FirstOrDefault(s => s.Metadata.Name == name);
        var before = registry.Get(name);
        if (set is null || set.Metadata.DeletionTimestamp is not null)
        {
            registry.Remove(name);
            await LeaveAsync(name, before?.Members ?? [], ct);
            return ReconcileResult.Success;
        }

        var clusters = directory.Placeable;
        var membership = ClusterSetMembership.Assign(sets.Where(s => s.Metadata.DeletionTimestamp is null).Select(ClusterSetMapping.Definition),
            clusters.Select(ClusterSetMapping.Candidate))[name];
        var problems = new List<string>();
        foreach (var member in membership.Members)
            if (await EnsureWatchedAsync(directory.Get(member)!, ct) is { } problem) problems.Add(problem);

        var now = clock.GetUtcNow();
        var policy = ClusterSetMapping.Policy(set);
        var published = ImmutableSortedDictionary.CreateBuilder<string, bool>(StringComparer.Ordinal);
        DateTimeOffset? recheck = null;
        var decisions = new List<MemberEndpointsStatus>();
        foreach (var member in membership.Members)
        {
            var health = ClusterSetMapping.Health(directory.Get(member)!);
            var current = before?.Published.TryGetValue(member, out var was) == true
                ? was
                : EndpointLifetime.InitiallyPublished(health, membership.Members.Any(m => registry.Cache(m)?.HoldsCopiesFrom(member) == true));
            var decision = EndpointLifetime.Decide(current, health, policy, now);
            published[member] = decision.Published;
            decisions.Add(new MemberEndpointsStatus { Name = member, Published = decision.Published, Reason = decision.Reason });
            if (decision.RecheckAt is { } at && (recheck is null || at < recheck)) recheck = at;
        }
        var state = new ClusterSetState(name, membership.Members, policy, published.ToImmutable());
        registry.Put(state);
        await LeaveAsync(name, (before?.Members ?? []).Except(state.Members), ct);
        if (!state.SameAs(before)) registry.TouchAll(name);

        await WriteStatusAsync(set, state, membership, decisions, problems, now, ct);
        var wait = recheck is { } due ? Min(due - now + TimeSpan.FromMilliseconds(100), Resync) : Resync;
        return ReconcileResult.RequeueAfter(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Starts watching a member (CRDs installed first); the problem, when it cannot be done now.</summary>
    private async Task<string?> EnsureWatchedAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        if (registry.Cache(name) is not null) return null;
        if (!ClusterDirectory.IsAvailable(cluster)) return $"{name}: not Available; watched once it is";
        try
        {
            var client = await clients.GetAsync(cluster, ct);
            await McsCrdInstaller.InstallAsync(client, CrdTimeout, ct);
            registry.AddCache(await MemberServiceCache.StartAsync(name, new DynamicClient(client), registry.MemberChanged, ct));
            return null;
        }
        catch (Exception e) when (e is InvalidCredentialsException or HttpRequestException or k8s.Autorest.HttpOperationException
            or KubeApiException or TimeoutException or InvalidOperationException)
        {
            return $"{name}: {e.Message}";
        }
    }

    /// <summary>Removes what Flotilla wrote for the set from clusters no longer in it, and stops watching those in no set.</summary>
    private async Task LeaveAsync(string set, IEnumerable<string> leavers, CancellationToken ct)
    {
        foreach (var cluster in leavers.ToList())
        {
            if (registry.Cache(cluster) is { } cache && cache.Listed)
            {
                try { await MemberServiceWriter.RemoveSetAsync(cache, set, ct); }
                catch (Exception e) when (e is HttpRequestException or KubeApiException) { /* unreachable: its copies stay until it is seen again */ }
            }
            if (registry.SetOf(cluster) is null) registry.DropCache(cluster);
        }
    }

    private async Task WriteStatusAsync(ClusterSetResource set, ClusterSetState state, SetMembers membership, List<MemberEndpointsStatus> endpoints,
        List<string> problems, DateTimeOffset now, CancellationToken ct)
    {
        var unlisted = state.Members.Where(m => registry.Cache(m) is { Listed: false }).Select(m => $"{m}: first list in progress");
        var all = problems.Concat(unlisted).ToList();
        var ready = StatusConditions.Next(set.Status?.Conditions, "Ready", all.Count == 0 ? "True" : "False",
            all.Count == 0 ? "MembersWatched" : "MembersNotWatched",
            all.Count == 0 ? $"{state.Members.Length} members watched" : string.Join("; ", all), now, set.Metadata.Generation);
        var status = new ClusterSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            MemberCount = state.Members.Length,
            ServiceCount = registry.ServicesOf(state.Name).Count(),
            Members = [.. state.Members],
            Excluded = [.. membership.Excluded.Select(e => new ExcludedClusterStatus { Name = e.Name, Reason = e.Reason })],
            Endpoints = endpoints,
            Conditions = [ready],
        };
        if (set.Status is not null && KubernetesJson.Serialize(status) == KubernetesJson.Serialize(set.Status)) return;
        await hub.CustomObjects.PatchClusterCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, set.Metadata.Name, cancellationToken: ct);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
