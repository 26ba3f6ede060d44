using System.Collections.Immutable;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Rollout;

/// <summary>
/// <c>Bundle.spec.rollout</c>: how a new revision moves over the placed clusters.
/// </summary>
/// <remarks>
/// Defaults: <see cref="RolloutStrategy.All"/>; <see cref="MaxFailures"/> 0 (the first failure triggers
/// <see cref="OnFailure"/>); <see cref="ProgressDeadline"/> 10 minutes (as a Deployment's); <see cref="MinSuccessTime"/>
/// 0 (no bake); <see cref="FailureAction.Pause"/>; unmatched clusters <see cref="UnmatchedClusters.Last"/> (KubeFleet
/// refuses such a run, kubefleet#638; a fleet that grows should not stop its rollouts). <see cref="MaxConcurrency"/> is
/// required for Progressive and is the default of every stage for Staged (unlimited when absent). A stage's
/// <see cref="RolloutStage.MaxFailures"/> defaults to <see cref="MaxFailures"/> applied to the stage's clusters.
/// </remarks>
public sealed record RolloutSpec
{
    /// <summary>The name of the implicit stage of All and Progressive runs.</summary>
    public const string FleetStageName = "all";

    /// <summary>The name of the implicit last stage of unmatched clusters (not a valid stage name, so it never collides).</summary>
    public const string UnmatchedStageName = "(unmatched)";

    public RolloutStrategy Strategy { get; init; } = RolloutStrategy.All;
    public IntOrPercent? MaxConcurrency { get; init; }
    public IntOrPercent MaxFailures { get; init; } = IntOrPercent.Zero;
    public TimeSpan ProgressDeadline { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan MinSuccessTime { get; init; } = TimeSpan.Zero;
    public FailureAction OnFailure { get; init; } = FailureAction.Pause;
    public UnmatchedClusters Unmatched { get; init; } = UnmatchedClusters.Last;
    public ImmutableArray<RolloutStage> Stages { get; init; } = [];

    /// <summary>Every problem with the spec, one line each; empty when the spec is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        CheckCount("maxFailures", MaxFailures, allowZero: true, errors);
        if (MaxConcurrency is { } concurrency) CheckCount("maxConcurrency", concurrency, allowZero: false, errors);
        if (ProgressDeadline <= TimeSpan.Zero) errors.Add("progressDeadline must be positive");
        if (MinSuccessTime < TimeSpan.Zero) errors.Add("minSuccessTime must not be negative");
        if (Strategy == RolloutStrategy.Progressive && MaxConcurrency is null) errors.Add("strategy Progressive needs maxConcurrency");
        if (Strategy == RolloutStrategy.All && MaxConcurrency is not null) errors.Add("maxConcurrency is for strategies Progressive and Staged, not All");
        if (Strategy == RolloutStrategy.Staged && Stages.IsEmpty) errors.Add("strategy Staged needs at least one stage");
        if (Strategy != RolloutStrategy.Staged && !Stages.IsEmpty) errors.Add($"stages are only for strategy Staged, not {Strategy}");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in Stages)
        {
            if (!LabelValidation.IsDnsLabel(stage.Name)) errors.Add($"stage name \"{stage.Name}\" is not a DNS label");
            else if (!names.Add(stage.Name)) errors.Add($"stage name \"{stage.Name}\" is used twice");
            if (stage.MaxConcurrency is { } c) CheckCount($"stage {stage.Name}: maxConcurrency", c, allowZero: false, errors);
            if (stage.MaxFailures is { } f) CheckCount($"stage {stage.Name}: maxFailures", f, allowZero: true, errors);
            foreach (var gate in stage.Before.Concat(stage.After))
            {
                if (gate.Kind == GateKind.TimedWait && gate.Duration <= TimeSpan.Zero)
                    errors.Add($"stage {stage.Name}: a TimedWait gate needs a positive duration");
                if (gate.Kind == GateKind.Approval && gate.Duration != TimeSpan.Zero)
                    errors.Add($"stage {stage.Name}: an Approval gate takes no duration");
            }
        }
        return errors;
    }

    private static void CheckCount(string field, IntOrPercent value, bool allowZero, List<string> errors)
    {
        if (value.Value < 0 || (!allowZero && value.Value == 0)) errors.Add($"{field} must be {(allowZero ? "zero or more" : "at least 1")}, not {value}");
        else if (value.IsPercent && value.Value > 100) errors.Add($"{field} must not exceed 100%, not {value}");
    }

    public bool Equals(RolloutSpec? other) =>
        other is not null && Strategy == other.Strategy && MaxConcurrency == other.MaxConcurrency && MaxFailures == other.MaxFailures
        && ProgressDeadline == other.ProgressDeadline && MinSuccessTime == other.MinSuccessTime && OnFailure == other.OnFailure
        && Unmatched == other.Unmatched && Stages.SequenceEqual(other.Stages);

    public override int GetHashCode() => HashCode.Combine(Strategy, MaxConcurrency, MaxFailures, ProgressDeadline, OnFailure, Stages.Length);

    /// <summary>The stages a run goes through, implicit ones included, in order.</summary>
    public ImmutableArray<RolloutStage> EffectiveStages()
    {
        if (Strategy != RolloutStrategy.Staged)
            return [new RolloutStage(FleetStageName, LabelSelector.Everything, Strategy == RolloutStrategy.All ? null : MaxConcurrency)];
        var stages = Stages.Select(s => s with { MaxConcurrency = s.MaxConcurrency ?? MaxConcurrency }).ToImmutableArray();
        return Unmatched == UnmatchedClusters.Last
            ? stages.Add(new RolloutStage(UnmatchedStageName, LabelSelector.Everything, MaxConcurrency))
            : stages;
    }
}
