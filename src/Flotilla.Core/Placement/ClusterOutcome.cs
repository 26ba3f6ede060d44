namespace Flotilla.Core.Placement;

/// <summary>
/// What the engine decided for one cluster. <see cref="Score"/> is set for every cluster that passed the filters
/// (label, facts, taints); <see cref="Step"/> and <see cref="Reason"/> for every cluster not selected (the first reason only).
/// </summary>
public sealed record ClusterOutcome(string Cluster, bool Selected, int? Score, PlacementStep? Step, string? Reason);
