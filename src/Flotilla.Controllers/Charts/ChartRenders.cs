using System.Collections.Concurrent;
using Flotilla.Core.Charts;
using Flotilla.Git.Render;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// Renders each distinct <see cref="ChartRenderKey"/> once: a snapshot never changes, so the same key always gives the
/// same objects, and clusters with equal keys share one <see cref="ChartOutcome"/>. Keeps the most recent
/// <paramref name="capacity"/> keys (a fleet with many distinct inputs re-renders the oldest on demand).
/// </summary>
public sealed class ChartRenders(ChartRenderer renderer, int capacity = 512)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ChartOutcome>>> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _renders;

    /// <summary>How many times helm ran (for the benchmark and tests: equals the distinct keys asked for, while they fit).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    public Task<ChartOutcome> RenderAsync(string snapshotDirectory, ChartRenderKey key, CancellationToken ct)
    {
        var entry = _outcomes.GetOrAdd(key.Id, added =>
        {
            _order.Enqueue(added);
            while (_order.Count > capacity && _order.TryDequeue(out var old)) _outcomes.TryRemove(old, out _);
            return new Lazy<Task<ChartOutcome>>(() => RenderOnceAsync(snapshotDirectory, key));
        });
        return entry.Value.WaitAsync(ct);
    }

    private async Task<ChartOutcome> RenderOnceAsync(string snapshotDirectory, ChartRenderKey key)
    {
        Interlocked.Increment(ref _renders);
        var request = new ChartRenderRequest(key.ChartPath, key.ReleaseName, key.Namespace, key.ValuesJson, key.KubeVersion, key.ApiVersions, key.IncludeTests, key.SkipCrds);
        // Not the caller's token: the render is shared, and one caller giving up must not fail it for the others.
        var result = await renderer.RenderAsync(snapshotDirectory, request, CancellationToken.None).ConfigureAwait(false);
        if (result.Succeeded) return ChartOutcome.Rendered(result.Manifests, key.Id);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        return ChartOutcome.Failed(string.Join("; ", errors.Take(3)) + (errors.Count > 3 ? $" (and {errors.Count - 3} more)" : ""), key.Id);
    }
}
