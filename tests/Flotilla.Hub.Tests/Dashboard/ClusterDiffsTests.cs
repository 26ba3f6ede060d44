using System.Text.Json.Nodes;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Hub.Dashboard;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Watch;
using k8s;

namespace Flotilla.Hub.Tests.Dashboard;

/// <summary>
/// Only the leader holds the decisions a diff is planned from: a hub that does not lead (or no longer does) says so
/// instead of planning from nothing, and the leader names a bundle it has not reconciled yet.
/// </summary>
public sealed class ClusterDiffsTests
{
    private const string NotLeader = "this hub is not the leader: the diff is planned by the hub that runs the controllers";

    [Fact]
    public async Task A_hub_that_does_not_lead_says_so_and_stops_serving_diffs_when_it_loses_the_lead()
    {
        var diffs = new ClusterDiffs();
        Assert.Equal(NotLeader, (await diffs.ForAsync("apps", "web", "member-1", CancellationToken.None)).Unavailable);

        // Never contacted: nothing is reconciled, so no member is asked.
        using var hub = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        using var clients = new MemberClients(hub, TimeSpan.FromSeconds(1));
        using var members = new MemberSyncs(clients, (_, _) => { }, objectParallelism: 1);
        var lead = diffs.Attach(new BundleTargets(), new ClusterDirectory(new NoClusters(), TimeProvider.System), members);
        Assert.Equal("the bundle has not been reconciled yet", (await diffs.ForAsync("apps", "web", "member-1", CancellationToken.None)).Unavailable);

        lead.Dispose();
        Assert.Equal(NotLeader, (await diffs.ForAsync("apps", "web", "member-1", CancellationToken.None)).Unavailable);
    }

    private sealed class NoClusters : IWatchSource
    {
        public Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct) =>
            Task.FromResult<(IReadOnlyList<JsonObject>, string)>(([], "1"));

        public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            yield break;
        }
    }
}
