namespace Flotilla.Core.Rollout;

/// <summary>A stage's counts as the status shows them; frozen once the run moves past the stage.</summary>
public sealed record StageSummary(string Name, int Clusters, int Done, int Failed);
