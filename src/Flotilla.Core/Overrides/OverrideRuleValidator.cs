namespace Flotilla.Core.Overrides;

/// <summary>
/// Checks the rules as written, reporting every problem: a missing or duplicate name, a missing cluster selector, no
/// targets, no actions, and each action's own problems (unknown JSON Patch op, bad JSON Pointer, missing value…).
/// At most <see cref="MaxRules"/> rules per bundle.
/// </summary>
public static class OverrideRuleValidator
{
    /// <summary>The matching rules of a cluster are a 64-bit mask in its <see cref="OverrideKey"/>; a bundle needing more rules than this is better split.</summary>
    public const int MaxRules = 64;

    public static IReadOnlyList<OverrideRuleError> Validate(IReadOnlyList<OverrideRule> rules)
    {
        var errors = new List<OverrideRuleError>();
        if (rules.Count > MaxRules) errors.Add(new OverrideRuleError(null, $"{rules.Count} overrides; at most {MaxRules} per bundle"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var label = string.IsNullOrEmpty(rule.Name) ? $"#{i}" : rule.Name;
            void Add(string message) => errors.Add(new OverrideRuleError(label, message));

            if (string.IsNullOrEmpty(rule.Name)) Add("name is required");
            else if (!seen.Add(rule.Name)) Add("name is used by an earlier override");
            if (rule.ClusterSelector is null) Add("clusterSelector is required ({} selects every cluster)");
            if (rule.Targets.IsDefaultOrEmpty) Add("targets: at least one is required ({} targets every object)");
            if (rule.Actions.IsDefaultOrEmpty) Add("no change given (jsonPatch, mergePatch, image, replicas, env, labels or annotations)");
            else foreach (var problem in rule.Actions.SelectMany(a => a.Problems())) Add(problem);
        }

        return errors;
    }
}
