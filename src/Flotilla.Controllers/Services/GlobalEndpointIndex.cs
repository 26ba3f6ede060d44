using System.Collections.Concurrent;

namespace Flotilla.Controllers.Services;

/// <summary>Which GlobalEndpoints follow which multi-cluster service, so a member's change queues only those that depend on it.</summary>
public sealed class GlobalEndpointIndex
{
    private readonly ConcurrentDictionary<string, string> _serviceOf = new(StringComparer.Ordinal);

    /// <summary>Every GlobalEndpoint known (namespace/name).</summary>
    public IReadOnlyCollection<string> All => [.. _serviceOf.Keys];

    public void Follow(string globalEndpoint, string serviceKey) => _serviceOf[globalEndpoint] = serviceKey;

    public void Forget(string globalEndpoint) => _serviceOf.TryRemove(globalEndpoint, out _);

    public IEnumerable<string> Following(string serviceKey) => _serviceOf.Where(p => p.Value == serviceKey).Select(p => p.Key);
}
