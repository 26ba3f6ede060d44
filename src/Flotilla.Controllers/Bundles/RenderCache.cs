using System.Collections.Concurrent;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Render;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Renders each (revision, path) once: a snapshot never changes, so neither does its rendering. Keeps the
/// most recent entries only (rollbacks re-render on demand). Plain manifests are rendered from the fetch's listing
/// when they can be, without waiting for the snapshot's export (<see cref="DirectoryRenderer.TryRenderListed"/>).
/// </summary>
public sealed class RenderCache(DirectoryRenderer renderer, int capacity = 64)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RenderResult>>> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public Task<RenderResult> RenderAsync(SourceArtifact artifact, string? path, CancellationToken ct)
    {
        var key = $"{artifact.Revision}:{path}";
        var entry = _results.GetOrAdd(key, added =>
        {
            _order.Enqueue(added);
            while (_order.Count > capacity && _order.TryDequeue(out var old)) _results.TryRemove(old, out _);
            return Render(artifact, path);
        });
        // A render that failed or was stopped waiting for an earlier fetch's export is tried again with this artifact
        // (its fetch exported anew), in the same place in the cache.
        if (entry.Value is { IsCompleted: true, IsCompletedSuccessfully: false })
        {
            var again = Render(artifact, path);
            if (_results.TryUpdate(key, again, entry)) entry = again;
        }
        return entry.Value.WaitAsync(ct);
    }

    private Lazy<Task<RenderResult>> Render(SourceArtifact artifact, string? path) =>
        new(() => RenderAsync(artifact, string.IsNullOrEmpty(path) ? "." : path));

    private async Task<RenderResult> RenderAsync(SourceArtifact artifact, string path)
    {
        if (artifact.Listing is { } listing && renderer.TryRenderListed(listing, path) is { } listed) return listed;
        await artifact.Exported;
        return await renderer.RenderAsync(artifact.SnapshotDirectory, path, artifact.FileIds, CancellationToken.None);
    }
}
