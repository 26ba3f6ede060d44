using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Tests.Watch;

public sealed class WatchLoopTests
{
    private static JsonObject Obj(string name, string rv) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = rv } };

    /// <summary>Scripted API: each list and each watch call takes the next step; the last watch cancels the loop.</summary>
    private sealed class ScriptedSource(CancellationTokenSource stop) : IWatchSource
    {
        public List<string> Calls { get; } = [];
        public Queue<Func<string, IEnumerable<(string, JsonObject)>>> Watches { get; } = new();
        public int ListVersion { get; set; } = 10;

        public Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
        {
            Calls.Add($"list@{ListVersion}");
            return Task.FromResult<(IReadOnlyList<JsonObject>, string)>(([Obj($"listed-{ListVersion}", ListVersion.ToString())], ListVersion.ToString()));
        }

        public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
        {
            Calls.Add($"watch@{resourceVersion}");
            if (Watches.Count == 0)
            {
                await stop.CancelAsync();
                ct.ThrowIfCancellationRequested();
                yield break;
            }
            foreach (var e in Watches.Dequeue()(resourceVersion)) yield return e;
        }
    }

    private static async Task<(ScriptedSource Source, List<string> Seen, WatchLoop Loop)> RunAsync(Action<ScriptedSource> script)
    {
        using var stop = new CancellationTokenSource();
        var source = new ScriptedSource(stop);
        script(source);
        var seen = new List<string>();
        var loop = new WatchLoop(source, (_, o) => { seen.Add(o["metadata"]!["name"]!.GetValue<string>()); return Task.CompletedTask; }, (_, _) => Task.CompletedTask);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(stop.Token));
        return (source, seen, loop);
    }

    [Fact]
    public async Task Lists_then_watches_from_the_list_version_and_resumes_from_the_last_event_after_a_disconnect()
    {
        var (source, seen, loop) = await RunAsync(s =>
        {
            s.Watches.Enqueue(_ => [("MODIFIED", Obj("a", "11")), ("BOOKMARK", Obj("", "15"))]);
            s.Watches.Enqueue(_ => [("ADDED", Obj("b", "16"))]);
        });
        Assert.Equal(["list@10", "watch@10", "watch@15", "watch@16"], source.Calls);
        Assert.Equal(["listed-10", "a", "b"], seen); // bookmarks only move the version
        Assert.Equal(1, loop.Lists);
    }

    [Fact]
    public async Task A_410_Gone_relists_instead_of_watching_from_a_version_the_server_forgot()
    {
        var (source, seen, loop) = await RunAsync(s =>
        {
            s.Watches.Enqueue(_ => [("MODIFIED", Obj("a", "11"))]);
            s.Watches.Enqueue(_ =>
            {
                s.ListVersion = 50;
                throw new KubeApiException("watch configmaps", HttpStatusCode.Gone, """{"message":"too old resource version"}""");
            });
        });
        Assert.Equal(["list@10", "watch@10", "watch@11", "list@50", "watch@50"], source.Calls);
        Assert.Equal(["listed-10", "a", "listed-50"], seen);
        Assert.Equal(2, loop.Lists);
    }

    [Fact]
    public async Task Other_failures_back_off_and_watch_again_from_the_same_version()
    {
        var delays = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        var source = new ScriptedSource(stop);
        source.Watches.Enqueue(_ => throw new HttpRequestException("connection refused"));
        source.Watches.Enqueue(_ => throw new HttpRequestException("connection refused"));
        var loop = new WatchLoop(source, (_, _) => Task.CompletedTask, (d, _) => { delays.Add(d); return Task.CompletedTask; });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(stop.Token));
        Assert.Equal(["list@10", "watch@10", "watch@10", "watch@10"], source.Calls);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays);
    }

    [Fact]
    public async Task A_loop_told_to_relist_after_a_failure_lists_again_and_reports_that_list()
    {
        using var stop = new CancellationTokenSource();
        var source = new ScriptedSource(stop);
        source.Watches.Enqueue(_ => throw new HttpRequestException("connection refused"));
        var lists = 0;
        var loop = new WatchLoop(source, (_, _) => Task.CompletedTask, (_, _) => Task.CompletedTask, () => { lists++; return Task.CompletedTask; }, relistAfterFailure: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(stop.Token));
        Assert.Equal(["list@10", "watch@10", "list@10", "watch@10"], source.Calls);
        Assert.Equal(2, lists);
    }

    [Fact]
    public async Task A_loop_told_to_relist_after_a_failure_is_told_of_a_410_too_with_no_wait()
    {
        using var stop = new CancellationTokenSource();
        var source = new ScriptedSource(stop);
        source.Watches.Enqueue(_ => throw new KubeApiException("watch secrets", HttpStatusCode.Gone, """{"message":"too old resource version"}"""));
        var delays = new List<TimeSpan>();
        var loop = new WatchLoop(source, (_, _) => Task.CompletedTask, (d, _) => { delays.Add(d); return Task.CompletedTask; }, relistAfterFailure: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(stop.Token));
        Assert.Equal(["list@10", "watch@10", "list@10", "watch@10"], source.Calls);
        Assert.Equal([TimeSpan.Zero], delays);
    }
}
