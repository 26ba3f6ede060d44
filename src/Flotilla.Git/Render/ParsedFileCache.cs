using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// The files a renderer has read, by path and content, and the manifests made of them. A commit usually changes a few
/// files: every unchanged one keeps its parsed objects and its <see cref="Manifest"/> instances, so neither the YAML
/// parse nor the work the sync prepared from those manifests (shared per instance) is done again. Holds the most
/// recent <see cref="Capacity"/> files; only files read without errors are kept.
/// </summary>
internal sealed class ParsedFileCache(int capacity = 20_000)
{
    private readonly ConcurrentDictionary<(string Path, string Digest), Entry> _files = new();
    private readonly ConcurrentQueue<(string, string)> _order = new();
    private readonly ConditionalWeakTable<ParsedObject, Manifest> _manifests = new();

    public int Capacity => capacity;

    /// <summary>What was read from this path with this content (charging the budget as the read did), or a fresh read.</summary>
    public YamlReadResult Read(string path, string content, RenderBudget budget, Func<YamlReadResult> read)
    {
        var key = (path, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
        if (_files.TryGetValue(key, out var known))
        {
            // The limits count this render's totals: a file met before costs what it cost then.
            for (var i = 0; i < known.Documents; i++) budget.TryChargeDocument();
            for (var i = 0; i < known.Result.Objects.Count; i++) budget.TryChargeObject();
            if (!budget.IsExhausted) return known.Result;
        }
        var documents = budget.Documents;
        var result = read();
        if (result.Succeeded && _files.TryAdd(key, new Entry(result, budget.Documents - documents)))
        {
            _order.Enqueue(key);
            while (_order.Count > capacity && _order.TryDequeue(out var old)) _files.TryRemove(old, out _);
        }
        return result;
    }

    /// <summary>The manifest made of <paramref name="parsed"/> before, if it was valid.</summary>
    public Manifest? ManifestOf(ParsedObject parsed) => _manifests.TryGetValue(parsed, out var manifest) ? manifest : null;

    public void Remember(ParsedObject parsed, Manifest manifest) => _manifests.AddOrUpdate(parsed, manifest);

    private sealed record Entry(YamlReadResult Result, int Documents);
}
