using System.Runtime.CompilerServices;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;

namespace Flotilla.Controllers.Bundles;

/// <summary>One <see cref="DynamicClient"/> (with its discovery cache) per member client, for the process's life.</summary>
public sealed class MemberSyncClients(MemberClients clients)
{
    private readonly ConditionalWeakTable<k8s.Kubernetes, DynamicClient> _dynamic = new();

    /// <summary>Write requests sent to members through these clients (for /metrics and benchmarks).</summary>
    public long Writes => _dynamic.Sum(entry => entry.Value.Writes);

    public async Task<DynamicClient> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var client = await clients.GetAsync(cluster, ct);
        return _dynamic.GetValue(client, c => new DynamicClient(c));
    }
}
