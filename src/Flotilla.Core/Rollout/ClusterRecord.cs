namespace Flotilla.Core.Rollout;

/// <summary>
/// A cluster the run released and that is not done yet, or that failed. Done clusters are not kept: the members'
/// observations say so, which keeps the state small (in flight + failures, never the whole fleet).
/// </summary>
/// <param name="Name">The cluster.</param>
/// <param name="ReleasedAt">When it was told to move (or resumed); the progress deadline runs from here until it applies.</param>
/// <param name="Failure">Why it failed, or null while in flight. Failures stick for the run (resume retries them).</param>
public sealed record ClusterRecord(string Name, DateTimeOffset ReleasedAt, string? Failure = null);
