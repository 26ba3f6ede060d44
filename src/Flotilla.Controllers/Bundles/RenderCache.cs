using System.Collections.Concurrent;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Render;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Renders each (revision, path) once: a snapshot never changes, so neither does its rendering. Keeps the
/// most recent entries only (rollbacks re-render on demand).
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
            return new Lazy<Task<RenderResult>>(() => renderer.RenderAsync(artifact.SnapshotDirectory, string.IsNullOrEmpty(path) ? "." : path, artifact.FileIds, CancellationToken.None));
        });
        return entry.Value.WaitAsync(ct);
    }
}
