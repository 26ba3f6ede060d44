using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// Checks a chart's dependencies before helm runs, since rendering never downloads: each one named in
/// <c>Chart.yaml</c> must be vendored under <c>charts/</c> (a directory whose <c>Chart.yaml</c> has its name, or a
/// <c>NAME-VERSION.tgz</c>), and when <c>Chart.lock</c> exists the vendored version must be the locked one.
/// </summary>
internal static class ChartDependencies
{
    /// <summary>Every problem with the dependencies of the chart copied to <paramref name="chart"/>; empty when all are there.</summary>
    public static List<string> Check(JsonObject chartYaml, JsonObject? chartLock, string chart, SafeYamlReader reader)
    {
        var vendored = Vendored(Path.Join(chart, "charts"), reader);
        var locked = (chartLock?["dependencies"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(d => Text(d, "name") is not null)
            .ToDictionary(d => Text(d, "name")!, d => Text(d, "version"), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var dependency in (chartYaml["dependencies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(dependency, "name") ?? "";
            var repository = Text(dependency, "repository");
            var from = string.IsNullOrEmpty(repository) ? "" : $" (from {repository})";
            if (!vendored.TryGetValue(name, out var versions))
            {
                problems.Add($"dependency \"{name}\"{from} is not vendored under charts/: run `helm dependency build` and commit charts/, since rendering never downloads");
            }
            else if (locked.TryGetValue(name, out var version) && version is not null && !versions.Contains(version))
            {
                problems.Add($"dependency \"{name}\": Chart.lock wants version {version}, charts/ holds {string.Join(", ", versions.Order(StringComparer.Ordinal))}");
            }
        }

        return problems;
    }

    /// <summary>Name → versions of the charts vendored in <paramref name="charts"/>.</summary>
    private static Dictionary<string, HashSet<string>> Vendored(string charts, SafeYamlReader reader)
    {
        var found = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (!Directory.Exists(charts)) return found;
        void Add(string name, string version) =>
            (found.TryGetValue(name, out var set) ? set : found[name] = new HashSet<string>(StringComparer.Ordinal)).Add(version);
        foreach (var directory in Directory.GetDirectories(charts))
        {
            var file = Path.Join(directory, "Chart.yaml");
            if (!File.Exists(file)) continue;
            var read = reader.Read(File.ReadAllText(file), "Chart.yaml");
            if (read.Objects.Count > 0 && Text(read.Objects[0].Body, "name") is { } name) Add(name, Text(read.Objects[0].Body, "version") ?? "");
        }

        foreach (var archive in Directory.GetFiles(charts, "*.tgz"))
        {
            // NAME-VERSION.tgz as `helm package` names it; the version starts at the last '-' followed by a digit.
            var stem = Path.GetFileNameWithoutExtension(archive);
            var split = Enumerable.Range(0, stem.Length - 1).LastOrDefault(i => stem[i] == '-' && char.IsAsciiDigit(stem[i + 1]), -1);
            if (split > 0) Add(stem[..split], stem[(split + 1)..]);
        }

        return found;
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value ? value.ToString() : null;
}
