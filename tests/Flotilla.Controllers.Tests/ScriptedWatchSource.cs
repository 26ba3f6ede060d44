using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flotilla.Kube.Watch;

namespace Flotilla.Controllers.Tests;

/// <summary>A scripted hub for watch loops: each list and watch call takes the next step; the watch after the last step stops the loop.</summary>
public sealed class ScriptedWatchSource(CancellationTokenSource stop) : IWatchSource
{
    public Queue<Func<JsonObject[]>> Lists { get; } = new();
    public Queue<Func<IEnumerable<(string, JsonObject)>>> Watches { get; } = new();

    /// <summary>Lists wait until this completes.</summary>
    public TaskCompletionSource ListAllowed { get; } = new();

    public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
    {
        await ListAllowed.Task;
        return (Lists.Dequeue()(), "1");
    }

    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        if (Watches.Count == 0)
        {
            await stop.CancelAsync();
            ct.ThrowIfCancellationRequested();
            yield break;
        }
        foreach (var e in Watches.Dequeue()()) yield return e;
    }
}
