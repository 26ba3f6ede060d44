using System.Collections;
using System.Collections.Immutable;

namespace Flotilla.Core.Placement;

/// <summary>
/// How many bundles each cluster holds, as immutable versions of one table. A placement input keeps the version it was
/// decided with, and <see cref="MovedSince"/> names the clusters whose count changed since then: re-deciding a bundle
/// after one cluster changed costs what moved, not a comparison of every cluster's count.
/// </summary>
public sealed class BundleCountTable : IEnumerable<KeyValuePair<string, int>>
{
    private readonly ImmutableDictionary<string, int> _counts;
    private readonly CountLog _log;

    private BundleCountTable(ImmutableDictionary<string, int> counts, CountLog log, long version) =>
        (_counts, _log, Version) = (counts, log, version);

    /// <summary>Versions of one table follow one line: each is made from the latest by <see cref="Add"/>.</summary>
    public long Version { get; }

    /// <summary>The first version of a new, empty table.</summary>
    public static BundleCountTable Create() =>
        new(ImmutableDictionary.Create<string, int>(StringComparer.Ordinal), new CountLog(), 0);

    public int CountOf(string cluster) => _counts.GetValueOrDefault(cluster);

    /// <summary>The next version: <paramref name="delta"/> added to the count of each of <paramref name="clusters"/> (distinct names).</summary>
    public BundleCountTable Add(IReadOnlyCollection<string> clusters, int delta)
    {
        if (clusters.Count == 0 || delta == 0) return this;
        var builder = _counts.ToBuilder();
        foreach (var cluster in clusters)
        {
            var count = builder.GetValueOrDefault(cluster) + delta;
            if (count < 0) throw new InvalidOperationException($"cluster {cluster} would hold {count} bundles");
            if (count == 0) builder.Remove(cluster);
            else builder[cluster] = count;
        }
        var version = Version + 1;
        _log.Append(version, clusters);
        return new(builder.ToImmutable(), _log, version);
    }

    /// <summary>
    /// The clusters whose count changed between <paramref name="older"/> and this version; null when that is not known
    /// (another table, a newer version, or one so old the log forgot it): the caller compares the counts instead.
    /// </summary>
    public IReadOnlyCollection<string>? MovedSince(BundleCountTable older) =>
        ReferenceEquals(older._log, _log) && older.Version <= Version ? _log.Between(older.Version, Version) : null;

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _counts.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Which clusters each version changed; bounded: the oldest half is forgotten when it grows past its capacity.</summary>
    private sealed class CountLog
    {
        private const int Capacity = 1 << 16;
        private readonly List<(long Version, string Cluster)> _entries = [];
        private readonly Lock _lock = new();
        private long _latest;
        private long _forgottenThrough;

        public void Append(long version, IEnumerable<string> clusters)
        {
            lock (_lock)
            {
                // Two versions made from the same one would share a number: the log could not tell their changes apart.
                if (version != _latest + 1) throw new InvalidOperationException($"count table version {version} is not made from the latest ({_latest})");
                foreach (var cluster in clusters) _entries.Add((version, cluster));
                _latest = version;
                if (_entries.Count <= Capacity) return;
                var cut = _entries[_entries.Count / 2].Version;
                _entries.RemoveAll(e => e.Version <= cut);
                _forgottenThrough = cut;
            }
        }

        public IReadOnlyCollection<string>? Between(long from, long to)
        {
            lock (_lock)
            {
                if (from < _forgottenThrough) return null;
                var moved = new HashSet<string>(StringComparer.Ordinal);
                for (var i = FirstAfter(from); i < _entries.Count && _entries[i].Version <= to; i++) moved.Add(_entries[i].Cluster);
                return moved;
            }
        }

        private int FirstAfter(long version)
        {
            var (low, high) = (0, _entries.Count);
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_entries[middle].Version <= version) low = middle + 1;
                else high = middle;
            }
            return low;
        }
    }
}
