using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Core.Placement;

/// <summary>
/// How many <em>other</em> bundles each cluster holds, as <see cref="PlacementInput.BundleCounts"/> needs it: one version
/// of the fleet's <see cref="BundleCountTable"/> less the bundle's own clusters, without copying either. Two views over
/// the same own set differ only where the table moved, which <see cref="PlacementMemo"/> asks the table instead of comparing.
/// </summary>
public sealed class OtherBundleCounts(BundleCountTable all, IReadOnlySet<string> own) : IReadOnlyDictionary<string, int>
{
    public BundleCountTable All { get; } = all;

    /// <summary>The clusters the bundle itself is counted on in <see cref="All"/>.</summary>
    public IReadOnlySet<string> Own { get; } = own;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out int value)
    {
        value = All.CountOf(key) - (Own.Contains(key) ? 1 : 0);
        return value > 0;
    }

    public int this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() =>
        All.Select(e => KeyValuePair.Create(e.Key, e.Value - (Own.Contains(e.Key) ? 1 : 0))).Where(e => e.Value > 0).GetEnumerator();

    public int Count
    {
        get
        {
            var count = 0;
            using var entries = GetEnumerator();
            while (entries.MoveNext()) count++;
            return count;
        }
    }

    public IEnumerable<string> Keys => this.Select(e => e.Key);

    public IEnumerable<int> Values => this.Select(e => e.Value);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
