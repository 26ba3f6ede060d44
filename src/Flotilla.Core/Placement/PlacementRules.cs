using System.Collections.Immutable;
using System.Globalization;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// A <see cref="PlacementSpec"/> checked and parsed once per decision, so that nothing is parsed per cluster and a
/// bad spec is reported as a list of errors (for a Stalled condition) rather than found half-way through a decision.
/// </summary>
internal sealed class PlacementRules(
    LabelSelector labels,
    ImmutableArray<FactRequirement> facts,
    ImmutableArray<Toleration> tolerations,
    int? numberOfClusters,
    SpreadSpec? spread,
    ImmutableArray<Prioritizer> prioritizers)
{
    public LabelSelector Labels { get; } = labels;
    /// <summary>The reason for each of <see cref="Labels"/>' requirements, built once: thousands of clusters may fail the same one.</summary>
    public ImmutableArray<string> LabelReasons { get; } = [.. labels.Requirements.Select(r => $"label selector: {r} not matched")];
    public ImmutableArray<FactRequirement> Facts { get; } = facts;
    /// <summary>The spec's tolerations, plus the default one for <see cref="UnavailableTaint"/> when none matches it.</summary>
    public ImmutableArray<Toleration> Tolerations { get; } = tolerations;
    public int? NumberOfClusters { get; } = numberOfClusters;
    public SpreadSpec? Spread { get; } = spread;
    public ImmutableArray<Prioritizer> Prioritizers { get; } = prioritizers;

    private static readonly ImmutableArray<Prioritizer> DefaultPrioritizers =
        [new(PrioritizerKind.Steady, 2, null, true), new(PrioritizerKind.LeastBundles, 1, null, true)];

    private static readonly Toleration DefaultUnavailableToleration =
        new(UnavailableTaint.Key, Exists: true, "", TaintEffect.NoSelect, UnavailableTaint.DefaultTolerationSeconds);

    /// <summary>The compiled rules, or null with every error found (never just the first).</summary>
    public static PlacementRules? Compile(PlacementSpec spec, out ImmutableArray<string> errors)
    {
        var problems = new List<string>();
        var labels = CompileLabels(spec, problems);
        var facts = spec.MatchFacts.Select((r, i) => CompileFact(r, $"matchFacts[{i}]", problems)).OfType<FactRequirement>().ToImmutableArray();
        var tolerations = spec.Tolerations.Select((t, i) => CompileToleration(t, $"tolerations[{i}]", problems)).OfType<Toleration>().ToList();
        var probe = UnavailableTaint.Since(DateTimeOffset.MinValue);
        if (!tolerations.Any(t => t.Matches(probe))) tolerations.Add(DefaultUnavailableToleration);

        if (spec.NumberOfClusters < 0) problems.Add($"numberOfClusters is {spec.NumberOfClusters}; it must not be negative");
        if (spec.Spread is { } spread)
        {
            if (!LabelValidation.IsValidKey(spread.TopologyKey)) problems.Add($"spread.topologyKey \"{spread.TopologyKey}\" is not a valid label key");
            if (spread.MaxSkew < 1) problems.Add($"spread.maxSkew is {spread.MaxSkew}; it must be at least 1");
        }
        var prioritizers = spec.Prioritizers.IsEmpty
            ? DefaultPrioritizers
            : spec.Prioritizers.Select((p, i) => CompilePrioritizer(p, $"prioritizers[{i}]", problems)).OfType<Prioritizer>().ToImmutableArray();
        foreach (var twice in prioritizers.GroupBy(p => (p.Kind, p.Property)).Where(g => g.Count() > 1))
            problems.Add($"prioritizer {twice.Key.Kind}{(twice.Key.Property is null ? "" : $" ({twice.Key.Property})")} is listed {twice.Count()} times");

        errors = [.. problems];
        return problems.Count > 0 ? null : new PlacementRules(labels, facts, [.. tolerations], spec.NumberOfClusters, spec.Spread, prioritizers);
    }

    private static LabelSelector CompileLabels(PlacementSpec spec, List<string> problems)
    {
        foreach (var (key, value) in spec.MatchLabels)
        {
            if (!LabelValidation.IsValidKey(key)) problems.Add($"matchLabels: \"{key}\" is not a valid label key");
            if (!LabelValidation.IsValidValue(value)) problems.Add($"matchLabels[{key}]: \"{value}\" is not a valid label value");
        }
        var requirements = LabelSelector.FromMatchLabels(spec.MatchLabels).Requirements.ToBuilder();
        for (var i = 0; i < spec.MatchExpressions.Length; i++)
        {
            var expression = spec.MatchExpressions[i];
            var where = $"matchExpressions[{i}]";
            if (!LabelValidation.IsValidKey(expression.Key)) problems.Add($"{where}: \"{expression.Key}\" is not a valid label key");
            var op = MatchExpressionOperators.Parse(expression.Operator);
            if (op is null)
            {
                problems.Add($"{where}: operator \"{expression.Operator}\" is not one of {MatchExpressionOperators.Expected}");
                continue;
            }
            CheckValueCount(expression, op is SelectorOperator.In or SelectorOperator.NotIn, where, problems);
            requirements.Add(new LabelRequirement(expression.Key, op.Value, [.. expression.Values.Order(StringComparer.Ordinal)]));
        }
        return new LabelSelector(requirements.ToImmutable());
    }

    private static FactRequirement? CompileFact(SelectorRequirementSpec requirement, string where, List<string> problems)
    {
        if (string.IsNullOrEmpty(requirement.Key))
        {
            problems.Add($"{where}: the key is empty");
            return null;
        }
        if (!TryParseName<FactOperator>(requirement.Operator, out var op))
        {
            problems.Add($"{where}: operator \"{requirement.Operator}\" is not one of {string.Join(", ", Enum.GetNames<FactOperator>())}");
            return null;
        }
        var kind = requirement.Key switch
        {
            FactRequirement.KubernetesVersionKey => FactKind.KubernetesVersion,
            FactRequirement.NodeCountKey => FactKind.NodeCount,
            _ => FactKind.Property,
        };
        var comparison = op is FactOperator.Gt or FactOperator.Ge or FactOperator.Lt or FactOperator.Le or FactOperator.Eq or FactOperator.Ne;
        if (comparison)
        {
            if (requirement.Values.Length != 1)
            {
                problems.Add($"{where} ({requirement.Key} {op}): needs exactly one value, has {requirement.Values.Length}");
                return null;
            }
            var value = requirement.Values[0];
            var versions = kind == FactKind.KubernetesVersion || (value.Length > 1 && value[0] == 'v' && char.IsAsciiDigit(value[1]));
            if (versions)
            {
                if (KubernetesVersion.TryParse(value, out var version))
                    return new FactRequirement(requirement.Key, kind, op, requirement.Values, true, version, 0);
                problems.Add($"{where} ({requirement.Key} {op}): \"{value}\" is not a version like v1.21.0");
                return null;
            }
            if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                return new FactRequirement(requirement.Key, kind, op, requirement.Values, false, default, number);
            problems.Add($"{where} ({requirement.Key} {op}): \"{value}\" is not a number");
            return null;
        }
        if (!CheckValueCount(requirement, op is FactOperator.In or FactOperator.NotIn, where, problems)) return null;
        return new FactRequirement(requirement.Key, kind, op, [.. requirement.Values.Order(StringComparer.Ordinal)], false, default, 0);
    }

    private static bool CheckValueCount(SelectorRequirementSpec requirement, bool needsValues, string where, List<string> problems)
    {
        if (needsValues && requirement.Values.IsEmpty) problems.Add($"{where} ({requirement.Key} {requirement.Operator}): needs at least one value");
        else if (!needsValues && !requirement.Values.IsEmpty) problems.Add($"{where} ({requirement.Key} {requirement.Operator}): takes no values");
        else return true;
        return false;
    }

    private static Toleration? CompileToleration(TolerationSpec toleration, string where, List<string> problems)
    {
        var key = toleration.Key ?? "";
        var value = toleration.Value ?? "";
        var errorsBefore = problems.Count;
        bool? exists = toleration.Operator switch { null or "" or "Equal" => false, "Exists" => true, _ => null };
        if (exists is null) problems.Add($"{where}: operator \"{toleration.Operator}\" is not Equal or Exists");
        if (exists == true && value.Length > 0) problems.Add($"{where}: operator Exists takes no value (has \"{value}\")");
        if (exists == false && key.Length == 0) problems.Add($"{where}: an empty key needs operator Exists");
        if (key.Length > 0 && !LabelValidation.IsValidKey(key)) problems.Add($"{where}: \"{key}\" is not a valid taint key");
        TaintEffect? effect = null;
        if (!string.IsNullOrEmpty(toleration.Effect))
        {
            if (TryParseName<TaintEffect>(toleration.Effect, out var parsed))
                effect = parsed;
            else problems.Add($"{where}: effect \"{toleration.Effect}\" is not NoSelect, PreferNoSelect or NoSelectIfNew");
        }
        if (toleration.TolerationSeconds < 0) problems.Add($"{where}: tolerationSeconds is {toleration.TolerationSeconds}; it must not be negative");
        return problems.Count > errorsBefore ? null : new Toleration(key, exists!.Value, value, effect, toleration.TolerationSeconds);
    }

    private static Prioritizer? CompilePrioritizer(PrioritizerSpec prioritizer, string where, List<string> problems)
    {
        var errorsBefore = problems.Count;
        PrioritizerKind? kind = prioritizer.Type switch
        {
            "Steady" => PrioritizerKind.Steady,
            "LeastBundles" => PrioritizerKind.LeastBundles,
            "ClusterProperty" => PrioritizerKind.ClusterProperty,
            _ => null,
        };
        if (kind is null) problems.Add($"{where}: unknown type \"{prioritizer.Type}\"; expected Steady, LeastBundles or ClusterProperty");
        if (prioritizer.Weight is < -10 or > 10) problems.Add($"{where}: weight {prioritizer.Weight} is outside -10…10");
        if (kind == PrioritizerKind.ClusterProperty && string.IsNullOrEmpty(prioritizer.Property)) problems.Add($"{where}: ClusterProperty needs a property");
        if (kind is PrioritizerKind.Steady or PrioritizerKind.LeastBundles && (prioritizer.Property is not null || prioritizer.Prefer is not null))
            problems.Add($"{where}: {kind} takes no property or prefer");
        bool? highest = prioritizer.Prefer switch { null or "Highest" => true, "Lowest" => false, _ => null };
        if (highest is null) problems.Add($"{where}: prefer \"{prioritizer.Prefer}\" is not Highest or Lowest");
        return problems.Count > errorsBefore ? null : new Prioritizer(kind!.Value, prioritizer.Weight, prioritizer.Property, highest!.Value);
    }

    // Enum.TryParse alone also takes "3" and "Gt, Lt"; only a declared name is an operator or effect.
    private static bool TryParseName<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) && Enum.TryParse(text, out value);
    }
}
