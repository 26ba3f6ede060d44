namespace Flotilla.Core.Rollout;

/// <summary>How a new revision spreads over the placed clusters.</summary>
public enum RolloutStrategy
{
    /// <summary>Every cluster at once (one stage, no concurrency limit); failures still count against the budget.</summary>
    All,

    /// <summary>One stage of every cluster, at most <see cref="RolloutSpec.MaxConcurrency"/> moving at a time.</summary>
    Progressive,

    /// <summary>Ordered <see cref="RolloutSpec.Stages"/> chosen by label selector (canary → dev → prod, or region by region).</summary>
    Staged,
}
