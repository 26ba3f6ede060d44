namespace Flotilla.Core.Rollout;

/// <summary>
/// The planner's word for one cluster: sync it to <see cref="Revision"/> now (null: nothing to sync yet — the first run has
/// not reached it). <see cref="Stage"/> is its stage's name, or null when it matches none.
/// </summary>
public readonly record struct ClusterRollout(string Name, string? Revision, string? Stage, ClusterRolloutStatus Status);
