using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Overrides;

/// <summary>
/// A bundle's validated rules prepared against one render (<see cref="BundleOverrides.TryPrepare"/>). Immutable and
/// thread-safe. <see cref="KeyFor"/> is cheap and <see cref="Apply"/> computes once per distinct key, so a fleet of
/// thousands of clusters costs one selector check per (rule, cluster) plus one computation per distinct result.
/// </summary>
public sealed class PreparedOverrides
{
    private readonly OverrideRule[] _rules;
    private readonly ManifestSet _manifests;
    private readonly int[][] _rulesByObject;
    private readonly bool[] _substituted;
    private readonly ClusterVariable[] _variables;
    private readonly ConcurrentDictionary<OverrideKey, OverrideResult> _results = new();

    internal PreparedOverrides(IReadOnlyList<OverrideRule> rules, ManifestSet manifests, bool[] substituted, ClusterVariable[] variables)
    {
        _manifests = manifests;
        _substituted = substituted;
        _variables = variables;
        var labels = manifests.Manifests.Select(LabelsOf).ToArray();
        var ordered = rules.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();
        var targeted = ordered.Select(rule => Enumerable.Range(0, manifests.Count)
            .Where(i => rule.Targets.Any(t => t.Matches(manifests.Manifests[i].Ref, labels[i]))).ToArray()).ToArray();
        // A rule that targets nothing in this render cannot change a result: keeping it out of the keys lets more clusters share one.
        _rules = ordered.Where((_, r) => targeted[r].Length > 0).ToArray();
        targeted = targeted.Where(t => t.Length > 0).ToArray();
        _rulesByObject = Enumerable.Range(0, manifests.Count)
            .Select(i => Enumerable.Range(0, _rules.Length).Where(r => targeted[r].Contains(i)).ToArray()).ToArray();
        Warnings = [.. ordered.Where(r => !_rules.Contains(r))
            .Select(r => new OverrideRuleError(r.Name, "targets no object of this revision"))];
    }

    /// <summary>Rules that target no object of this render (a typo in a target, or an object that was removed): for the Bundle status, not an error.</summary>
    public ImmutableArray<OverrideRuleError> Warnings { get; }

    /// <summary>The variables the manifests use, in <see cref="OverrideKey.Values"/> order.</summary>
    public IReadOnlyList<ClusterVariable> Variables => _variables;

    /// <summary>
    /// What <paramref name="cluster"/>'s result depends on. One label-selector check per rule and one lookup per
    /// variable; it allocates nothing when no manifest uses a variable (the common case), else one small array.
    /// </summary>
    public OverrideKey KeyFor(OverrideCluster cluster)
    {
        var mask = 0UL;
        for (var r = 0; r < _rules.Length; r++)
        {
            if (Matches(_rules[r].ClusterSelector!, cluster.Labels)) mask |= 1UL << r;
        }

        if (_variables.Length == 0) return new OverrideKey(mask, null);
        var values = new string?[_variables.Length];
        for (var v = 0; v < _variables.Length; v++) values[v] = _variables[v].ValueIn(cluster);
        return new OverrideKey(mask, values);
    }

    /// <summary>
    /// <paramref name="cluster"/>'s objects: variables substituted in the manifests that opt in, then every matching rule
    /// applied in order (ascending priority, then name). The result is computed once per <see cref="OverrideKey"/> and
    /// shared by every cluster with that key; it is either all the objects or, for each object that failed, its first error.
    /// </summary>
    public OverrideResult Apply(OverrideCluster cluster) => _results.GetOrAdd(KeyFor(cluster), Compute);

    private OverrideResult Compute(OverrideKey key)
    {
        var applied = _rules.Where((_, r) => (key.Rules & (1UL << r)) != 0).Select(r => r.Name).ToImmutableArray();
        var errors = ImmutableArray.CreateBuilder<OverrideError>();
        var result = _manifests.Map((manifest, i) => Change(manifest, i, key, errors) ?? manifest);
        return new OverrideResult(errors.Count == 0 ? result : null, applied, errors.ToImmutable());
    }

    /// <summary>The changed manifest, or null when nothing changes it or it failed (then <paramref name="errors"/> says why).</summary>
    private Manifest? Change(Manifest manifest, int index, OverrideKey key, ImmutableArray<OverrideError>.Builder errors)
    {
        JsonObject? body = null;
        if (_substituted[index])
        {
            body = manifest.Object.DeepClone().AsObject();
            if (Substitute(body, "", key) is { } missing)
            {
                errors.Add(new OverrideError(OverrideErrorCode.MissingVariable, null, manifest.Ref, missing.Path,
                    $"{missing.Variable}: the cluster has no {(missing.Variable.Source == ClusterVariableSource.Label ? "label" : "property")} \"{missing.Variable.Key}\""));
                return null;
            }
        }

        foreach (var r in _rulesByObject[index])
        {
            if ((key.Rules & (1UL << r)) == 0) continue;
            body ??= manifest.Object.DeepClone().AsObject();
            var rule = _rules[r];
            var problem = rule.Actions.Select(a => a.ApplyTo(body)).FirstOrDefault(p => p is not null) ?? IdentityGuard.Check(manifest.Object, body);
            if (problem is null) continue;
            errors.Add(new OverrideError(problem.Code, rule.Name, manifest.Ref, problem.Path, problem.Message));
            return null;
        }

        return body is null ? null : new Manifest(manifest.Ref, body, manifest.Source, manifest.Warnings);
    }

    /// <summary>Substitutes every string under <paramref name="node"/> in place; the first variable the cluster lacks, with its path.</summary>
    private (string Path, ClusterVariable Variable)? Substitute(JsonNode node, string path, OverrideKey key)
    {
        var children = node switch
        {
            JsonObject obj => obj.Select(p => (Path: $"{path}/{JsonPointer.Escape(p.Key)}", Child: p.Value, Set: (Action<JsonNode>)(v => obj[p.Key] = v))).ToList(),
            JsonArray array => array.Select((item, i) => (Path: $"{path}/{i}", Child: item, Set: (Action<JsonNode>)(v => array[i] = v))).ToList(),
            _ => [],
        };
        foreach (var (childPath, child, set) in children)
        {
            if (child is JsonValue value && value.TryGetValue<string>(out var text) && VariableTemplate.MayContain(text))
            {
                var replaced = VariableTemplate.Substitute(text, v => key.Values[Array.IndexOf(_variables, v)], out var missing);
                if (missing is not null) return (childPath, missing);
                set(JsonValue.Create(replaced)!);
            }
            else if (child is JsonObject or JsonArray && Substitute(child, childPath, key) is { } problem) return problem;
        }

        return null;
    }

    // LabelSelector.Matches through LINQ allocates a closure per call; this loop does not, which matters at a million (bundle, cluster) keys.
    private static bool Matches(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in selector.Requirements)
        {
            if (!requirement.Matches(labels)) return false;
        }

        return true;
    }

    private static IReadOnlyDictionary<string, string> LabelsOf(Manifest manifest) =>
        (manifest.Object["metadata"]?["labels"] as JsonObject ?? [])
            .Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
}
