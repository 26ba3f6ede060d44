using System.CommandLine;
using Flotilla.Controllers;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla cluster remove NAME</c>: by default the hub removes every bundle's objects and inventory from the member
/// first and the registration goes last; <c>--orphan</c> deletes the registration now and leaves the member as it is.
/// </summary>
public static class ClusterRemoveCommand
{
    /// <summary>How often a waiting removal reads the Cluster.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Slack on the leader Lease's expiry, for clock skew between this machine and the hub process's.</summary>
    private static readonly TimeSpan LeaseSlack = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Name of the registered cluster" };
        var orphan = new Option<bool>("--orphan")
        {
            Description = "Delete the registration and credentials now and leave everything on the member: the bundles' objects and "
                + "their inventory ConfigMaps (flotilla-system/inv-*) stay. For a member that is gone for good, or to give up a removal that waits",
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "Wait until the hub has cleaned the member and the Cluster is gone (--wait=false: start the removal and return)",
            DefaultValueFactory = _ => true,
        };
        var timeout = DurationOption.Create("--timeout", "How long to wait; the removal itself goes on in the hub after a timeout", "5m");
        var remove = new Command("remove", """
            Remove a cluster from the fleet.
            By default the hub first removes every bundle from the member, as if the cluster had left every placement: each
            bundle's objects are pruned (only those carrying its label) and its inventory ConfigMap is deleted; a bundle with
            deletionPolicy: Orphan leaves its objects and removes only its inventory. Until then the Cluster stays, marked for
            deletion (finalizer flotilla.io/cleanup), and its condition Removing says what is pending; an unreachable member is
            retried with backoff, and `flotilla cluster list` shows it as Removing. Then the registration and the credentials
            Secret go. Removal with cleanup needs a running hub (`flotilla hub run`): without one it is refused when bundles
            are on the member, so a Cluster is never left undeletable.
            --orphan deletes the registration and credentials now and leaves the member as it is (objects and inventory
            ConfigMaps); rerun with --orphan to give up a removal that waits on a member that will not come back.
            """)
        {
            name, orphan, wait, timeout,
        };
        remove.Aliases.Add("rm");
        remove.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            return await RunAsync(hub, r.GetValue(name)!, r.GetValue(orphan), r.GetValue(wait), r.GetValue(timeout), ct);
        });
        return remove;
    }

    /// <summary>The path a removal takes; pure, so each case is tested without a hub.</summary>
    public static ClusterRemovalPath Choose(bool orphan, bool alreadyRemoving, bool hubRunning, int bundlesOnMember) =>
        orphan ? ClusterRemovalPath.Orphan
        : alreadyRemoving || hubRunning ? ClusterRemovalPath.Cleanup
        : bundlesOnMember == 0 ? ClusterRemovalPath.DeleteNow
        : ClusterRemovalPath.RefuseWithoutHub;

    /// <summary>True when a hub holds the leader Lease now (a holder, renewed within the lease duration).</summary>
    public static bool HubIsRunning(V1Lease? lease, DateTimeOffset now) =>
        lease?.Spec is { HolderIdentity: { Length: > 0 }, RenewTime: { } renewed, LeaseDurationSeconds: { } seconds }
        && Utc(renewed) + TimeSpan.FromSeconds(seconds) + LeaseSlack >= now;

    // The client reads MicroTime as UTC, or as local time when converted; an unspecified kind is UTC on the wire.
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static async Task<int> RunAsync(Kubernetes hub, string name, bool orphan, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        var registry = new ClusterRegistry(hub);
        var cluster = await registry.GetAsync(name, ct);
        if (cluster is null) return ClusterCommands.Fail($"cluster \"{name}\" is not registered");
        var onMember = (await HubLists.BundlesAsync(hub, ct))
            .Where(b => b.Status?.Clusters?.Any(c => c.Name == name) == true)
            .Select(b => ObjectKey.Of(b.Metadata.NamespaceProperty, b.Metadata.Name)).Order(StringComparer.Ordinal).ToList();
        var removing = cluster.Metadata.DeletionTimestamp is not null;
        var path = Choose(orphan, removing, orphan || removing ? false : await HubIsRunningAsync(hub, ct), onMember.Count);
        switch (path)
        {
            case ClusterRemovalPath.Orphan:
                await registry.RemoveAsync(name, ct);
                Console.WriteLine(onMember.Count == 0
                    ? $"cluster.flotilla.io/{name} removed (nothing on the member was touched)"
                    : $"cluster.flotilla.io/{name} removed; left on the member: the objects and inventories of {Bundles(onMember)}");
                return 0;
            case ClusterRemovalPath.DeleteNow:
                await registry.RemoveAsync(name, ct);
                Console.WriteLine($"cluster.flotilla.io/{name} removed (no bundle had anything on it)");
                return 0;
            case ClusterRemovalPath.RefuseWithoutHub:
                return ClusterCommands.Fail($"no hub is running to remove {Bundles(onMember)} from {name} (Lease flotilla-system/flotilla-hub is not held): "
                    + $"start `flotilla hub run` and retry, or `flotilla cluster remove {name} --orphan` to leave them on the member");
            case ClusterRemovalPath.Cleanup:
                await registry.BeginCleanupRemovalAsync(cluster, ct);
                Console.WriteLine(onMember.Count == 0
                    ? $"cluster.flotilla.io/{name} removing: the hub checks that no bundle is left on the member"
                    : $"cluster.flotilla.io/{name} removing: the hub removes {Bundles(onMember)} from the member first");
                if (!wait)
                {
                    Console.WriteLine($"not waiting: `flotilla cluster list` shows {name} as Removing until it is gone");
                    return 0;
                }
                return await WaitAsync(registry, cluster, timeout, ct);
        }
        throw new InvalidOperationException($"unknown removal path {path}");
    }

    private static async Task<bool> HubIsRunningAsync(Kubernetes hub, CancellationToken ct)
    {
        var election = new LeaderElectionOptions();
        try
        {
            return HubIsRunning(await hub.CoordinationV1.ReadNamespacedLeaseAsync(election.LeaseName, election.LeaseNamespace, cancellationToken: ct), DateTimeOffset.UtcNow);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<int> WaitAsync(ClusterRegistry registry, ClusterResource cluster, TimeSpan timeout, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? shown = null;
        while (await registry.GetAsync(name, ct) is { } current)
        {
            var pending = current.Status?.Conditions?.FirstOrDefault(c => c.Type == FlotillaApi.RemovingCondition)?.Message;
            if (pending is not null && pending != shown) Console.WriteLine($"  waiting: {shown = pending}");
            if (DateTimeOffset.UtcNow >= deadline)
                return ClusterCommands.Fail($"{name} is still being removed after {timeout.TotalSeconds:0}s{(pending is null ? "" : $" ({pending})")}. "
                    + $"The hub keeps at it: rerun to wait again, or `flotilla cluster remove {name} --orphan` to give up and leave the rest on the member");
            await Task.Delay(Poll, ct);
        }
        // The hub deletes the Secret after the finalizer; doing it again covers a hub that stopped in between.
        await registry.DeleteCredentialsAsync(cluster, ct);
        Console.WriteLine($"cluster.flotilla.io/{name} removed (the member holds nothing of the fleet's bundles)");
        return 0;
    }

    private static string Bundles(IReadOnlyList<string> bundles) =>
        (bundles.Count == 1 ? "bundle " : $"{bundles.Count} bundles (") + string.Join(", ", bundles.Take(5))
        + (bundles.Count > 5 ? ", …" : "") + (bundles.Count == 1 ? "" : ")");
}
