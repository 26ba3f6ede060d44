using System.Collections.Concurrent;
using Flotilla.Core.Charts;
using Flotilla.Git.Charts;

namespace Flotilla.Controllers.Sources;

/// <summary>The index last read from a HelmRepository, with what it takes to fetch its charts.</summary>
public sealed record HelmIndex(Uri Url, HelmRepositoryCredentials Credentials, ChartIndex Index, string Digest);

/// <summary>
/// The hub's in-process table of the last good index of each HelmRepository (<c>namespace/name</c>). A failing read
/// never replaces an entry, so bundles keep their chart. <see cref="IndexChanged"/> fires when an index's digest changed.
/// </summary>
public sealed class HelmIndexes
{
    private readonly ConcurrentDictionary<string, HelmIndex> _indexes = new(StringComparer.Ordinal);

    public event Action<string>? IndexChanged;

    public HelmIndex? Get(string key) => _indexes.GetValueOrDefault(key);

    public void Set(string key, HelmIndex index)
    {
        var previous = _indexes.GetValueOrDefault(key);
        _indexes[key] = index;
        if (previous?.Digest != index.Digest || previous.Credentials != index.Credentials) IndexChanged?.Invoke(key);
    }

    public void Remove(string key) => _indexes.TryRemove(key, out _);
}
