using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Kube.Clients;

namespace Flotilla.Controllers.Tests.ClusterSync;

public sealed class ClusterDirectoryTests
{
    private static JsonObject Cluster(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = "1", ["labels"] = new JsonObject { ["region"] = "eu" } },
        ["spec"] = new JsonObject(),
    };

    [Fact]
    public async Task A_cluster_deleted_while_the_watch_was_down_is_removed_after_the_relist()
    {
        using var stop = new CancellationTokenSource();
        var source = new ScriptedWatchSource(stop);
        source.ListAllowed.SetResult();
        source.Lists.Enqueue(() => [Cluster("c1"), Cluster("c2")]);
        source.Lists.Enqueue(() => [Cluster("c1")]);
        source.Watches.Enqueue(() => throw new KubeApiException("watch clusters", HttpStatusCode.Gone, """{"message":"too old resource version"}"""));
        var directory = new ClusterDirectory(source, TimeProvider.System);
        var removed = new List<string>();
        var placementChanges = 0;
        directory.Removed += removed.Add;
        directory.PlacementChanged += () => placementChanges++;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => directory.RunAsync(stop.Token));

        Assert.Equal(["c2"], removed);
        Assert.Null(directory.Get("c2"));
        Assert.Equal(["c1"], directory.Placeable.Select(c => c.Metadata.Name));
        Assert.Equal(["c1"], directory.PlaceableFacts.Select(f => f.Name));
        Assert.Equal(2, placementChanges); // once per list
    }
}
