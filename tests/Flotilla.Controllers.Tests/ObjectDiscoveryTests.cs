using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;

namespace Flotilla.Controllers.Tests;

public sealed class ObjectDiscoveryTests
{
    private static JsonObject Repo(string name, int generation, string revision = "") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["generation"] = generation, ["resourceVersion"] = $"{generation}{revision.Length}" },
        ["spec"] = new JsonObject { ["url"] = "https://example.com/" + name },
        ["status"] = new JsonObject { ["revision"] = revision },
    };

    /// <summary>Takes every key that is ready (in order) and gives it back done.</summary>
    private static List<string> Drain(WorkQueue<string> queue)
    {
        var keys = new List<string>();
        while (queue.Count > 0 && queue.TakeAsync(CancellationToken.None).AsTask().Result is { } lease)
        {
            keys.Add(lease.Key);
            lease.Done();
        }
        return keys;
    }

    [Fact]
    public async Task Reads_see_the_object_as_the_watch_last_saw_it_and_nothing_once_it_is_deleted()
    {
        using var stop = new CancellationTokenSource();
        using var queue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());
        var source = new ScriptedWatchSource(stop);
        source.ListAllowed.SetResult();
        source.Lists.Enqueue(() => [Repo("a", 1), Repo("b", 1)]);
        // A status change (same generation) is kept but queues nothing; a deletion queues the key.
        source.Watches.Enqueue(() => [("MODIFIED", Repo("a", 1, "abc123")), ("DELETED", Repo("b", 1))]);
        var discovery = new ObjectDiscovery(source, o => (ObjectDiscovery.NamespacedKey(o), ObjectDiscovery.Version(o)), queue, keepObjects: true);
        var observed = new List<string>();
        discovery.Observed += (key, obj) => observed.Add($"{key}:{(obj is null ? "gone" : obj["status"]!["revision"])}");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => discovery.RunAsync(stop.Token));

        Assert.Equal("abc123", (await discovery.GetAsync<GitRepositoryResource>("ns/a", CancellationToken.None))!.Status!.Revision);
        Assert.Null(await discovery.GetAsync<GitRepositoryResource>("ns/b", CancellationToken.None));
        Assert.Equal(["ns/a"], discovery.Keys);
        Assert.Equal(["ns/a:", "ns/b:", "ns/a:abc123", "ns/b:gone"], observed);
        Assert.Equal(["ns/a", "ns/b"], Drain(queue));
    }

    [Fact]
    public async Task An_object_deleted_while_the_watch_was_down_is_gone_after_the_relist_and_its_key_is_queued()
    {
        using var stop = new CancellationTokenSource();
        using var queue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());
        var source = new ScriptedWatchSource(stop);
        source.ListAllowed.SetResult();
        // Before the re-list, what the first list queued is taken, so what the re-list queues stands apart.
        var firstList = new List<string>();
        source.Lists.Enqueue(() => [Repo("a", 1), Repo("b", 1)]);
        source.Lists.Enqueue(() =>
        {
            firstList.AddRange(Drain(queue));
            return [Repo("a", 1)];
        });
        source.Watches.Enqueue(() => throw new KubeApiException("watch gitrepositories", HttpStatusCode.Gone, """{"message":"too old resource version"}"""));
        var discovery = new ObjectDiscovery(source, o => (ObjectDiscovery.NamespacedKey(o), ObjectDiscovery.Version(o)), queue, keepObjects: true);
        var gone = new List<string>();
        discovery.Observed += (key, obj) => { if (obj is null) gone.Add(key); };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => discovery.RunAsync(stop.Token));

        Assert.Equal(["ns/a", "ns/b"], firstList);
        Assert.Null(await discovery.GetAsync<GitRepositoryResource>("ns/b", CancellationToken.None));
        Assert.NotNull(await discovery.GetAsync<GitRepositoryResource>("ns/a", CancellationToken.None));
        Assert.Equal(["ns/b"], gone);
        // Unchanged "a" is not queued again by the re-list; "b" is, so its reconcile sees it gone.
        Assert.Equal(["ns/b"], Drain(queue));
    }

    [Fact]
    public async Task A_read_waits_for_the_first_list()
    {
        using var stop = new CancellationTokenSource();
        using var queue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());
        var source = new ScriptedWatchSource(stop);
        source.Lists.Enqueue(() => [Repo("a", 1)]);
        var discovery = new ObjectDiscovery(source, o => (ObjectDiscovery.NamespacedKey(o), ObjectDiscovery.Version(o)), queue, keepObjects: true);
        var read = discovery.GetAsync<GitRepositoryResource>("ns/a", CancellationToken.None);
        var run = discovery.RunAsync(stop.Token);
        await Task.Delay(50);
        Assert.False(read.IsCompleted);

        source.ListAllowed.SetResult();
        Assert.Equal("ns", (await read.WaitAsync(TimeSpan.FromSeconds(10)))!.Metadata.NamespaceProperty);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
