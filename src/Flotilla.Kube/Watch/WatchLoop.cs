using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;

namespace Flotilla.Kube.Watch;

/// <summary>What a watch loop needs from an API: a list (items + resourceVersion) and a watch from a version.</summary>
public interface IWatchSource
{
    Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct);

    IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, CancellationToken ct);
}

/// <summary>
/// List, then watch with bookmarks; re-watch from the last seen version after a disconnect; re-list on
/// 410 Gone (the version is too old). Every listed (type <c>LISTED</c>) or changed object is reported to <c>onChange</c>;
/// <c>onListed</c>, when given, runs after each list's items were reported (a cache swaps in the complete list then).
/// <paramref name="relistAfterFailure"/>: list again after every failure instead of watching on from the last version, for
/// a watcher that stops trusting what it holds when the watch fails (it learns of a failure, a 410 included, by
/// <c>delay</c>, and by <c>onListed</c> when to trust it again).
/// </summary>
public sealed class WatchLoop(IWatchSource source, Func<string, JsonObject, Task> onChange, Func<TimeSpan, CancellationToken, Task> delay,
    Func<Task>? onListed = null, bool relistAfterFailure = false)
{
    /// <summary>How many times the loop listed (the first list plus every re-list after 410).</summary>
    public int Lists { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        string? version = null;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    var (items, listVersion) = await source.ListAsync(ct);
                    Lists++;
                    foreach (var item in items) await onChange("LISTED", item);
                    if (onListed is not null) await onListed();
                    version = listVersion;
                }
                await foreach (var (type, obj) in source.WatchAsync(version, ct))
                {
                    version = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? version;
                    if (type != "BOOKMARK") await onChange(type, obj);
                    failures = 0;
                }
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Gone)
            {
                version = null; // too old: list again
                // A watcher that stops trusting what it holds on a failure is told of this one too, with no wait.
                if (relistAfterFailure) await delay(TimeSpan.Zero, ct);
            }
            catch (Exception e) when (e is HttpRequestException or KubeApiException or IOException)
            {
                failures++;
                if (relistAfterFailure) version = null;
                await delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), ct);
            }
        }
    }
}
