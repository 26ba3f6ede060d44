namespace Flotilla.Kube.Sync;

/// <summary>The member stopped answering during a sync (not just one object's request): nothing was pruned.</summary>
public sealed class ClusterUnreachableException(string message, Exception inner) : Exception(message, inner);
