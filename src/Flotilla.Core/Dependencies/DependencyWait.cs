namespace Flotilla.Core.Dependencies;

/// <summary>A gate that holds a (bundle, cluster) pair: what kind, which bundle it waits for (none for a cycle), and the message to show.</summary>
public sealed record DependencyWait(DependencyWaitKind Kind, string? WaitsFor, string Message);
