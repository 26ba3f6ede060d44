using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Tests.Simulation;
using Flotilla.Kube.Watch;

namespace Flotilla.Kube.Tests.Registry;

/// <summary>
/// The versions of a namespace's Secrets are answered only while its watch is up: from the end of a list until the
/// watch fails, when they are unknown (a caller reads the Secret) until a new list has seen the namespace whole again.
/// </summary>
public sealed class SecretVersionsTests
{
    private static JsonObject Secret(string name, string version) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = version } };

    /// <summary>Lists answered in order (then none: a list that never ends); watch events sent by the test, null for a failure.</summary>
    private sealed class ScriptedSecrets(params (JsonObject[] Items, string Version)[] lists) : IWatchSource
    {
        private readonly Queue<(JsonObject[] Items, string Version)> _lists = new(lists);

        public Channel<(string Type, JsonObject Object)?> Events { get; } = Channel.CreateUnbounded<(string, JsonObject)?>();

        public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
        {
            if (!_lists.TryDequeue(out var list)) await Task.Delay(Timeout.Infinite, ct);
            return (list.Items, list.Version);
        }

        public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in Events.Reader.ReadAllAsync(ct))
                yield return e ?? throw new HttpRequestException("the watch broke");
        }
    }

    private static (bool Known, string? Version) Ask(SecretVersions versions, string name) =>
        (versions.TryGet("flotilla-system", name, out var version), version);

    [Fact]
    public async Task Versions_are_known_from_a_list_until_the_watch_fails_and_again_once_a_new_list_is_done()
    {
        var source = new ScriptedSecrets(([Secret("member-1", "1"), Secret("gone", "1")], "1"), ([Secret("member-1", "3")], "3"));
        using var versions = new SecretVersions(_ => source);

        await Eventually.WaitAsync(() => Ask(versions, "member-1") == (true, "1"), "the first list");
        Assert.Equal((true, null), Ask(versions, "no-such-secret"));
        await source.Events.Writer.WriteAsync(("MODIFIED", Secret("member-1", "2")));
        await Eventually.WaitAsync(() => Ask(versions, "member-1") == (true, "2"), "the watch's event");

        // The watch breaks: nothing is known (a rotation could be missed), until the namespace is listed again.
        await source.Events.Writer.WriteAsync(null);
        await Eventually.WaitAsync(() => !Ask(versions, "member-1").Known, "the failure");
        await Eventually.WaitAsync(() => Ask(versions, "member-1") == (true, "3"), "the list after the failure");
        Assert.Equal((true, null), Ask(versions, "gone")); // deleted while the watch was down
    }

    /// <summary>Every list fails with <paramref name="failure"/>.</summary>
    private sealed class FailingSecrets(Exception failure) : IWatchSource
    {
        public Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct) => throw failure;

        public IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, CancellationToken ct) => throw failure;
    }

    /// <summary>The first wait the namespace's watch asks for after its list failed with <paramref name="failure"/> (later waits never end).</summary>
    private static async Task<TimeSpan> FirstWaitAfterAsync(Exception failure)
    {
        var asked = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var versions = new SecretVersions(_ => new FailingSecrets(failure),
            delay: (wait, token) => { asked.TrySetResult(wait); return Task.Delay(Timeout.Infinite, token); });
        Assert.Equal((false, null), Ask(versions, "member-1"));
        return await asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_namespace_whose_list_is_refused_is_listed_again_only_after_ten_minutes_and_other_failures_soon()
    {
        Assert.Equal(SecretVersions.ForbiddenRetry, await FirstWaitAfterAsync(new KubeApiException("list secrets", HttpStatusCode.Forbidden, "{}")));
        Assert.Equal(TimeSpan.FromMinutes(10), SecretVersions.ForbiddenRetry);
        Assert.Equal(TimeSpan.FromSeconds(2), await FirstWaitAfterAsync(new HttpRequestException("connection refused")));
    }

    [Fact]
    public void A_namespace_the_hub_may_not_watch_is_never_listed()
    {
        var watches = 0;
        using var versions = new SecretVersions(_ => { watches++; return new ScriptedSecrets(([Secret("member-1", "1")], "1")); }, watchable: ns => ns != "flotilla-system");
        Assert.Equal((false, null), Ask(versions, "member-1"));
        Assert.Equal(0, watches);
    }

    [Fact]
    public void A_namespace_that_never_lists_is_never_known()
    {
        using var versions = new SecretVersions(_ => new ScriptedSecrets());
        Assert.Equal((false, null), Ask(versions, "member-1"));
    }
}
