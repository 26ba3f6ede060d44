using System.Text.Json.Nodes;

namespace Flotilla.Core.Charts;

/// <summary>One published chart version of a repository index: where to get it and the sha256 its tarball must have.</summary>
public sealed record ChartIndexEntry(string Name, ChartVersion Version, string Digest, IReadOnlyList<string> Urls);

/// <summary>
/// A chart repository's <c>index.yaml</c> (read as a tree by the safe YAML reader): the published versions of each
/// chart. Entries without a parseable version, a sha256 digest or a URL are skipped, since they could never be
/// verified or fetched.
/// </summary>
public sealed class ChartIndex
{
    private readonly Dictionary<string, List<ChartIndexEntry>> _entries;

    private ChartIndex(Dictionary<string, List<ChartIndexEntry>> entries) => _entries = entries;

    /// <summary>The index, or null when the document has no <c>entries</c> map (not a chart repository index).</summary>
    public static ChartIndex? From(JsonObject document)
    {
        if (document["entries"] is not JsonObject entries) return null;
        var read = new Dictionary<string, List<ChartIndexEntry>>(StringComparer.Ordinal);
        foreach (var (name, versions) in entries)
        {
            var list = new List<ChartIndexEntry>();
            foreach (var item in (versions as JsonArray ?? []).OfType<JsonObject>())
            {
                var version = ChartVersion.Parse(Text(item["version"]));
                var digest = Text(item["digest"])?.ToLowerInvariant();
                var urls = (item["urls"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
                if (version is null || digest is not { Length: 64 } || !digest.All(Uri.IsHexDigit) || urls.Count == 0) continue;
                list.Add(new ChartIndexEntry(name, version, digest, urls));
            }

            read[name] = list;
        }

        return new ChartIndex(read);
    }

    /// <summary>
    /// The version of <paramref name="name"/> that <paramref name="version"/> (an exact version or a range; empty: the
    /// latest release) picks: the highest allowed. Null with the reason when none does.
    /// </summary>
    public ChartIndexEntry? Resolve(string name, string? version, out string? problem)
    {
        problem = null;
        if (!_entries.TryGetValue(name, out var published) || published.Count == 0)
        {
            problem = $"the repository has no chart \"{name}\"";
            return null;
        }

        var range = ChartVersionRange.Parse(string.IsNullOrWhiteSpace(version) ? "*" : version, out var invalid);
        if (range is null)
        {
            problem = $"version \"{version}\": {invalid}";
            return null;
        }

        var chosen = range.Highest(published.Select(e => e.Version));
        if (chosen is null) problem = $"no version of chart \"{name}\" matches \"{version}\" (published: {string.Join(", ", published.Select(e => e.Version).Order().TakeLast(5))})";
        return chosen is null ? null : published.First(e => e.Version.CompareTo(chosen) == 0);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
