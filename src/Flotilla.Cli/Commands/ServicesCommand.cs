using System.CommandLine;
using k8s;
using Flotilla.Cli.Output;
using Flotilla.Controllers.Services;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Services;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla services [-n NS | -A] [--cluster-set S]</c>: per multi-cluster service, which members export and import
/// it and, where it is missing, why. It reads every member as the hub does (the same watch caches, each listed once) and
/// runs the hub's own planner, so the answer is what the hub would do now, not a second opinion.
/// </summary>
public static class ServicesCommand
{
    private static readonly TimeSpan ListDeadline = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only services of this namespace" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Services of every namespace (the default)" };
        var set = new Option<string?>("--cluster-set") { Description = "Only this ClusterSet" };
        var command = new Command("services", "Show which clusters export and import each multi-cluster service, and why not where it is missing") { ns, all, set };
        command.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var sets = KubeJson.As<ClusterSetResourceList>(await hub.CustomObjects.ListClusterCustomObjectAsync(
                    FlotillaApi.Group, FlotillaApi.Version, ClusterSetResource.Plural, cancellationToken: ct)).Items
                .Where(s => s.Metadata.DeletionTimestamp is null).ToList();
            var clusters = (await new ClusterRegistry(hub).ListAsync(ct)).Where(c => c.Metadata.DeletionTimestamp is null).ToList();
            var membership = ClusterSetMembership.Assign(sets.Select(ClusterSetMapping.Definition), clusters.Select(ClusterSetMapping.Candidate));
            using var clients = new MemberClients(hub, TimeSpan.FromSeconds(10));
            var rows = new List<IReadOnlyList<string>>();
            foreach (var definition in sets.Where(s => r.GetValue(set) is not { } only || s.Metadata.Name == only))
            {
                var name = definition.Metadata.Name;
                var members = membership[name].Members;
                var caches = await WatchAsync(clusters.Where(c => members.Contains(c.Metadata.Name)), clients, ct);
                try
                {
                    var now = DateTimeOffset.UtcNow;
                    var policy = ClusterSetMapping.Policy(definition);
                    var published = members.ToDictionary(m => m, m =>
                    {
                        var health = ClusterSetMapping.Health(clusters.Single(c => c.Metadata.Name == m));
                        var initially = EndpointLifetime.InitiallyPublished(health, caches.Any(c => c.Listed && c.HoldsCopiesFrom(m)));
                        return EndpointLifetime.Decide(initially, health, policy, now).Published;
                    }, StringComparer.Ordinal);
                    var keys = caches.Where(c => c.Listed).SelectMany(c => c.Keys).Distinct()
                        .Where(k => r.GetValue(ns) is not { } only || k.Namespace == only).Order();
                    foreach (var key in keys)
                    {
                        var views = members.Select(m => caches.FirstOrDefault(c => c.Cluster == m)?.View(key)
                            ?? new MemberServiceView(m, false, false, "", null, null, [], null, false, [])).ToList();
                        var plan = ServicePlanner.Plan(name, key, views, published);
                        foreach (var role in plan.Roles)
                        {
                            var conflict = plan.Import?.Conflicts.TryGetValue(role.Cluster, out var c) == true ? $"; conflict ({c!.Reason}): {c.Message}" : "";
                            rows.Add([key.ToString(), name, role.Cluster, role.Exports ? "yes" : "no", role.Imports ? "yes" : "no", role.Why + conflict]);
                        }
                    }
                }
                finally
                {
                    foreach (var cache in caches) cache.Dispose();
                }
            }
            if (rows.Count == 0)
            {
                Console.WriteLine("no multi-cluster services (no ServiceExport in any ClusterSet member)");
                return 0;
            }
            TableWriter.Write(Console.Out, ["SERVICE", "CLUSTERSET", "CLUSTER", "EXPORTS", "IMPORTS", "WHY"], rows);
            return 0;
        });
        return command;
    }

    /// <summary>Watches every reachable member until its caches listed once (or the deadline passed: it shows as not observed).</summary>
    private static async Task<List<MemberServiceCache>> WatchAsync(IEnumerable<ClusterResource> members, MemberClients clients, CancellationToken ct)
    {
        var caches = new List<MemberServiceCache>();
        foreach (var member in members)
        {
            try { caches.Add(await MemberServiceCache.StartAsync(member.Metadata.Name, new DynamicClient(await clients.GetAsync(member, ct)), (_, _) => { }, ct)); }
            catch (Exception e) when (e is InvalidCredentialsException or HttpRequestException or KubeApiException or InvalidOperationException)
            {
                Console.Error.WriteLine($"warning: {member.Metadata.Name}: {e.Message}");
            }
        }
        var deadline = DateTime.UtcNow + ListDeadline;
        while (caches.Any(c => !c.Listed) && DateTime.UtcNow < deadline) await Task.Delay(50, ct);
        return caches;
    }
}
