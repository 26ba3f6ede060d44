using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Entry point of the overrides engine: validates a bundle's rules and prepares them against one render, once per
/// (rules, revision); the result then gives each cluster its key and its objects.
/// </summary>
public static class BundleOverrides
{
    /// <summary>The annotation by which a manifest opts in to <c>${cluster.…}</c> variables; only the value <c>"true"</c> counts.</summary>
    public const string SubstituteAnnotation = "flotilla.io/substitute";

    /// <summary>
    /// Validates <paramref name="rules"/> (<see cref="OverrideRuleValidator"/>) and the variables of the manifests that
    /// opt in, and precomputes what does not depend on the cluster: the application order, which rules target which
    /// objects, and which variables are used. Errors are the bundle's (a Stalled condition until the spec or the source
    /// changes); a cluster's own problems come later, from <see cref="PreparedOverrides.Apply"/>.
    /// </summary>
    public static bool TryPrepare(
        IReadOnlyList<OverrideRule> rules,
        ManifestSet manifests,
        [NotNullWhen(true)] out PreparedOverrides? prepared,
        out IReadOnlyList<OverrideRuleError> errors)
    {
        var problems = OverrideRuleValidator.Validate(rules).ToList();
        var variables = new SortedSet<ClusterVariable>();
        var substituted = new bool[manifests.Count];
        for (var i = 0; i < manifests.Count; i++)
        {
            var manifest = manifests.Manifests[i];
            if (!OptsIn(manifest.Object)) continue;
            var found = new List<(string Path, string Problem)>();
            substituted[i] = Scan(manifest.Object, "", variables, found);
            problems.AddRange(found.Select(f => new OverrideRuleError(null, $"{manifest.Ref} at {f.Path}: {f.Problem}")));
        }

        if (problems.Count > 0)
        {
            prepared = null;
            errors = problems;
            return false;
        }

        prepared = new PreparedOverrides(rules, manifests, substituted, [.. variables]);
        errors = [];
        return true;
    }

    private static bool OptsIn(JsonObject body) =>
        body["metadata"]?["annotations"]?[SubstituteAnnotation] is JsonValue value && value.TryGetValue<string>(out var text) && text == "true";

    /// <summary>Collects the variables under <paramref name="node"/>; true when some string there needs substituting (a variable or an escape).</summary>
    private static bool Scan(JsonNode? node, string path, ISet<ClusterVariable> variables, List<(string, string)> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.Aggregate(false, (any, p) => Scan(p.Value, $"{path}/{JsonPointer.Escape(p.Key)}", variables, problems) | any);
            case JsonArray array:
                return array.Select((item, i) => Scan(item, $"{path}/{i}", variables, problems)).Aggregate(false, (a, b) => a | b);
            case JsonValue value when value.TryGetValue<string>(out var text) && VariableTemplate.MayContain(text):
                if (VariableTemplate.Scan(text, variables) is { } problem) problems.Add((path, problem));
                return true;
            default:
                return false;
        }
    }
}
