using System.Collections.Immutable;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Rollout;

/// <summary>
/// One stage of a <see cref="RolloutStrategy.Staged"/> run: the clusters its <see cref="Selector"/> matches (and no earlier
/// stage did). <see cref="MaxConcurrency"/> and <see cref="MaxFailures"/> default to the spec's; percentages are of this
/// stage's clusters. <see cref="Before"/> gates hold the stage before any of its clusters moves; <see cref="After"/> gates
/// hold the next stage once this one is done and baked.
/// </summary>
public sealed record RolloutStage(
    string Name,
    LabelSelector Selector,
    IntOrPercent? MaxConcurrency = null,
    IntOrPercent? MaxFailures = null,
    ImmutableArray<RolloutGate> Before = default,
    ImmutableArray<RolloutGate> After = default)
{
    /// <summary>Gates before the stage (never default).</summary>
    public ImmutableArray<RolloutGate> Before { get; init; } = Before.IsDefault ? [] : Before;

    /// <summary>Gates after the stage (never default).</summary>
    public ImmutableArray<RolloutGate> After { get; init; } = After.IsDefault ? [] : After;

    public bool Equals(RolloutStage? other) =>
        other is not null && Name == other.Name && Selector.Equals(other.Selector) && MaxConcurrency == other.MaxConcurrency
        && MaxFailures == other.MaxFailures && Before.SequenceEqual(other.Before) && After.SequenceEqual(other.After);

    public override int GetHashCode() => HashCode.Combine(Name, Selector, MaxConcurrency, MaxFailures, Before.Length, After.Length);
}
