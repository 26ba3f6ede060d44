using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Overrides;

namespace Flotilla.Core.Charts;

/// <summary>
/// A chart bundle's values, ready to be resolved per cluster: the values files (in order), then the inline
/// <c>values</c>, then every <see cref="ClusterValuesRule"/> whose selector matches the cluster (in order), then the
/// cluster variables (<c>${cluster.name}</c>, <c>${cluster.labels['k']}</c>, <c>${cluster.properties['k']}</c>)
/// substituted in every string. Clusters whose labels give the same values get the same text, so they share one render.
/// </summary>
public sealed class ChartValuesPlan
{
    private readonly JsonObject _bundleValues;
    private readonly ImmutableArray<ClusterValuesRule> _rules;

    private ChartValuesPlan(JsonObject bundleValues, ImmutableArray<ClusterValuesRule> rules)
    {
        _bundleValues = bundleValues;
        _rules = rules;
    }

    /// <summary>Prepares the layers; the problem (a variable written wrongly) names where it is.</summary>
    public static ChartValuesPlan Prepare(IEnumerable<JsonObject> valuesFiles, JsonObject? inline, IEnumerable<ClusterValuesRule> rules, out string? problem)
    {
        var plan = new ChartValuesPlan(ChartValues.MergeAll(valuesFiles.Append(inline ?? [])), [.. rules]);
        problem = SyntaxProblem(plan._bundleValues, "spec.helm.values")
            ?? plan._rules.Select((r, i) => SyntaxProblem(r.Values, $"spec.helm.clusterValues[{i}].values")).FirstOrDefault(p => p is not null);
        return plan;
    }

    /// <summary>The values <paramref name="cluster"/> renders with, as canonical JSON; or the variable it lacks.</summary>
    public ChartValuesResult Resolve(OverrideCluster cluster)
    {
        var values = _bundleValues;
        foreach (var rule in _rules)
        {
            if (rule.ClusterSelector.Matches(cluster.Labels)) values = ChartValues.Merge(values, rule.Values);
        }

        var substituted = values.DeepClone().AsObject();
        if (Substitute(substituted, "", cluster) is { } missing) return ChartValuesResult.Missing(missing);
        return ChartValuesResult.Of(ChartValues.Canonical(substituted));
    }

    private static string? SyntaxProblem(JsonNode node, string path)
    {
        var used = new HashSet<ClusterVariable>();
        foreach (var (at, text) in Strings(node, path))
        {
            if (VariableTemplate.Scan(text, used) is { } problem) return $"{at}: {problem}";
        }

        return null;
    }

    private static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path) => node switch
    {
        JsonObject map => map.SelectMany(p => Strings(p.Value, $"{path}.{p.Key}")),
        JsonArray list => list.SelectMany((item, i) => Strings(item, $"{path}[{i}]")),
        JsonValue value when value.TryGetValue<string>(out var text) => [(path, text)],
        _ => [],
    };

    /// <summary>Substitutes every string in place; the first variable the cluster lacks, described.</summary>
    private static string? Substitute(JsonNode node, string path, OverrideCluster cluster)
    {
        var children = node switch
        {
            JsonObject map => map.Select(p => (Path: $"{path}.{p.Key}", Child: p.Value, Set: (Action<JsonNode>)(v => map[p.Key] = v))).ToList(),
            JsonArray list => list.Select((item, i) => (Path: $"{path}[{i}]", Child: item, Set: (Action<JsonNode>)(v => list[i] = v))).ToList(),
            _ => [],
        };
        foreach (var (childPath, child, set) in children)
        {
            if (child is JsonValue value && value.TryGetValue<string>(out var text) && VariableTemplate.MayContain(text))
            {
                var replaced = VariableTemplate.Substitute(text, v => v.ValueIn(cluster), out var missing);
                if (missing is not null)
                {
                    var what = missing.Source == ClusterVariableSource.Label ? "label" : "property";
                    return $"values{childPath}: {missing}: the cluster has no {what} \"{missing.Key}\"";
                }

                set(JsonValue.Create(replaced)!);
            }
            else if (child is JsonObject or JsonArray && Substitute(child, childPath, cluster) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
