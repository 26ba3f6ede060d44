using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// The files a renderer has read, by path and content, and the manifests made of them. A commit usually changes a few
/// files: every unchanged one keeps its parsed objects and its <see cref="Manifest"/> instances, so neither the YAML
/// parse nor the work the sync prepared from those manifests (shared per instance) is done again. Content is known by
/// a digest of what was read, or by an identity the caller vouches for (a snapshot file's git blob id), which spares
/// reading the file at all. Holds the most recent <see cref="Capacity"/> files; only files read without errors are kept.
/// </summary>
internal sealed class ParsedFileCache(int capacity = 20_000)
{
    private readonly ConcurrentDictionary<(string Path, string Digest), Entry> _files = new();
    private readonly ConcurrentQueue<(string, string)> _order = new();
    private readonly ConditionalWeakTable<ParsedObject, Manifest> _manifests = new();

    public int Capacity => capacity;

    /// <summary>
    /// What was parsed from the file at <paramref name="path"/> with content identity <paramref name="id"/>, charged to the
    /// budget as reading and parsing it was (the file, its bytes, documents and objects); null when unknown or over a limit.
    /// </summary>
    public YamlReadResult? Known(string path, string id, RenderBudget budget) =>
        _files.TryGetValue((path, "id " + id), out var known) && budget.TryChargeFile() && budget.TryChargeBytes(known.Bytes) && Charge(known, budget)
            ? known.Result : null;

    /// <summary>
    /// What was read from this path with this content (charging the budget as the read did), or a fresh read. With
    /// <paramref name="id"/> the content is remembered by that identity (see <see cref="Known"/>) instead of a digest.
    /// </summary>
    public YamlReadResult Read(string path, string content, string? id, RenderBudget budget, Func<YamlReadResult> read)
    {
        var key = (path, id is not null ? "id " + id : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
        if (_files.TryGetValue(key, out var known) && Charge(known, budget)) return known.Result;
        var documents = budget.Documents;
        var result = read();
        if (result.Succeeded && _files.TryAdd(key, new Entry(result, budget.Documents - documents, Encoding.UTF8.GetByteCount(content))))
        {
            _order.Enqueue(key);
            while (_order.Count > capacity && _order.TryDequeue(out var old)) _files.TryRemove(old, out _);
        }
        return result;
    }

    /// <summary>The manifest made of <paramref name="parsed"/> before, if it was valid.</summary>
    public Manifest? ManifestOf(ParsedObject parsed) => _manifests.TryGetValue(parsed, out var manifest) ? manifest : null;

    public void Remember(ParsedObject parsed, Manifest manifest) => _manifests.AddOrUpdate(parsed, manifest);

    // The limits count this render's totals: a file met before costs what it cost then.
    private static bool Charge(Entry known, RenderBudget budget)
    {
        for (var i = 0; i < known.Documents; i++) budget.TryChargeDocument();
        for (var i = 0; i < known.Result.Objects.Count; i++) budget.TryChargeObject();
        return !budget.IsExhausted;
    }

    private sealed record Entry(YamlReadResult Result, int Documents, long Bytes);
}
