using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Controllers.Rollouts;

/// <summary>
/// Maps <c>spec.rollout</c> to the pure <see cref="RolloutSpec"/>. Enum values, durations, counts and selectors the CRD
/// schema cannot fully check are reported as problems naming their field, so the bundle stalls with InvalidSpec
/// instead of rolling out with a guess.
/// </summary>
public static class RolloutMapping
{
    /// <summary>The spec, or null with every problem (one line each, naming its field under <c>spec.rollout</c>).</summary>
    public static RolloutSpec? Spec(BundleRollout rollout, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var spec = new RolloutSpec
        {
            Strategy = Enum<RolloutStrategy>(rollout.Strategy, "strategy", RolloutStrategy.All, problems),
            MaxConcurrency = Count(rollout.MaxConcurrency, "maxConcurrency", problems),
            MaxFailures = Count(rollout.MaxFailures, "maxFailures", problems) ?? IntOrPercent.Zero,
            ProgressDeadline = Duration(rollout.ProgressDeadline, "progressDeadline", problems) ?? new RolloutSpec().ProgressDeadline,
            MinSuccessTime = Duration(rollout.MinSuccessTime, "minSuccessTime", problems) ?? TimeSpan.Zero,
            OnFailure = Enum<FailureAction>(rollout.OnFailure, "onFailure", FailureAction.Pause, problems),
            Unmatched = Enum<UnmatchedClusters>(rollout.Unmatched, "unmatched", UnmatchedClusters.Last, problems),
            Stages = [.. (rollout.Stages ?? []).Select((s, i) => Stage(s, $"stages[{i}]", problems))],
        };
        if (problems.Count == 0) problems.AddRange(spec.Validate());
        errors = problems;
        return problems.Count == 0 ? spec : null;
    }

    /// <summary>
    /// The stage a cluster with <paramref name="labels"/> belongs to, as the planner decides it: the first matching stage
    /// of a Staged run, else the implicit last stage (or null under <c>unmatched: Error</c>); the one fleet stage otherwise.
    /// </summary>
    public static string? StageOf(RolloutSpec spec, IReadOnlyDictionary<string, string> labels)
    {
        if (spec.Strategy != RolloutStrategy.Staged) return RolloutSpec.FleetStageName;
        foreach (var stage in spec.Stages) if (stage.Selector.Matches(labels)) return stage.Name;
        return spec.Unmatched == UnmatchedClusters.Last ? RolloutSpec.UnmatchedStageName : null;
    }

    private static RolloutStage Stage(BundleRolloutStage stage, string where, List<string> problems) => new(
        stage.Name,
        Selector(stage.Selector, $"{where}.selector", problems),
        Count(stage.MaxConcurrency, $"{where}.maxConcurrency", problems),
        Count(stage.MaxFailures, $"{where}.maxFailures", problems),
        [.. (stage.Before ?? []).Select((g, i) => Gate(g, $"{where}.before[{i}]", problems))],
        [.. (stage.After ?? []).Select((g, i) => Gate(g, $"{where}.after[{i}]", problems))]);

    private static RolloutGate Gate(BundleRolloutGate gate, string where, List<string> problems) =>
        new(Enum<GateKind>(gate.Type, $"{where}.type", GateKind.Approval, problems), Duration(gate.Duration, $"{where}.duration", problems) ?? TimeSpan.Zero);

    private static LabelSelector Selector(V1LabelSelector? selector, string where, List<string> problems)
    {
        if (selector is null) return LabelSelector.Everything;
        var labels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in labels)
            if (!LabelValidation.IsValidKey(key) || !LabelValidation.IsValidValue(value)) problems.Add($"{where}.matchLabels: \"{key}={value}\" is not a valid label");
        var requirements = LabelSelector.FromMatchLabels(labels).Requirements.ToBuilder();
        foreach (var (e, i) in (selector.MatchExpressions ?? []).Select((e, i) => (e, i)))
        {
            var op = MatchExpressionOperators.Parse(e.OperatorProperty);
            if (op is null)
            {
                problems.Add($"{where}.matchExpressions[{i}].operator: \"{e.OperatorProperty}\" is not one of {MatchExpressionOperators.Expected}");
                continue;
            }
            requirements.Add(new LabelRequirement(e.Key, op.Value, [.. (e.Values ?? []).Order(StringComparer.Ordinal)]));
        }
        return new LabelSelector(requirements.ToImmutable());
    }

    private static T Enum<T>(string? text, string field, T fallback, List<string> problems) where T : struct, Enum
    {
        if (text is null) return fallback;
        if (System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0])) return value;
        problems.Add($"{field}: \"{text}\" is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
        return fallback;
    }

    private static TimeSpan? Duration(string? text, string field, List<string> problems)
    {
        try { return Durations.Parse(text); }
        catch (ArgumentException e)
        {
            problems.Add($"{field}: {e.Message}");
            return null;
        }
    }

    // The schema's int-or-string arrives as a JSON number or a string such as "25%".
    private static IntOrPercent? Count(JsonNode? node, string field, List<string> problems)
    {
        if (node is null) return null;
        try
        {
            // A number is read from its JSON text, so 1.5 is refused rather than rounded.
            return IntOrPercent.Parse(node.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.ToJsonString() : node.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            problems.Add($"{field}: {node.ToJsonString()} is neither a number nor a percentage");
            return null;
        }
    }
}
