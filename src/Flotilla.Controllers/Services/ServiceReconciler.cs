using Flotilla.Controllers.Runtime;
using Flotilla.Core.Services;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Services;

namespace Flotilla.Controllers.Services;

/// <summary>
/// Reconciles one multi-cluster service (<see cref="ServiceQueueKey"/>): reads every member of its set from the watch
/// caches, plans with <see cref="ServicePlanner"/> and writes each member's part in parallel, each on its own, so one
/// unreachable member never holds up the others (a failed member makes the key retry with backoff).
/// </summary>
public sealed class ServiceReconciler(ClusterSetRegistry registry, TimeProvider clock) : IReconciler<string>
{
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (setName, service) = ServiceQueueKey.Split(key);
        if (registry.Get(setName) is not { } set) return ReconcileResult.Success;
        var views = set.Members.Select(m => registry.Cache(m)?.View(service) ?? Unobserved(m)).ToList();
        var plan = ServicePlanner.Plan(setName, service, views, set.Published);
        if (plan.IsEmpty) return ReconcileResult.Success;

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var now = clock.GetUtcNow();
        await Parallel.ForEachAsync(set.Members, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (member, token) =>
        {
            if (registry.Cache(member) is not { } cache) return;
            try
            {
                if (plan.Changes.FirstOrDefault(c => c.Cluster == member) is { IsEmpty: false } changes)
                    await MemberServiceWriter.ApplyAsync(cache, service, changes, token);
                if (plan.Exports.FirstOrDefault(e => e.Cluster == member) is { } export)
                    await MemberServiceWriter.WriteExportStatusAsync(cache, service, export, now, token);
            }
            catch (Exception e) when (e is HttpRequestException or KubeApiException or IOException)
            {
                failures.Add($"{member}: {e.Message}");
            }
        });
        return failures.IsEmpty ? ReconcileResult.Success : ReconcileResult.Failed(string.Join("; ", failures.Order(StringComparer.Ordinal)));
    }

    private static MemberServiceView Unobserved(string cluster) => new(cluster, false, false, "", null, null, [], null, false, []);
}
