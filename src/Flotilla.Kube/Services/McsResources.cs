using Flotilla.Core.Services;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Services;

/// <summary>The resources the multi-cluster services controller reads and writes on members.</summary>
public static class McsResources
{
    public static readonly ApiResource ServiceExport = new(McsNames.Group, McsNames.Version, "ServiceExport", "serviceexports", true);
    public static readonly ApiResource ServiceImport = new(McsNames.Group, McsNames.Version, "ServiceImport", "serviceimports", true);
    public static readonly ApiResource Service = new("", "v1", "Service", "services", true);
    public static readonly ApiResource Namespace = new("", "v1", "Namespace", "namespaces", false);

    /// <summary>
    /// The EndpointSlice resource the member serves: <c>discovery.k8s.io/v1</c> from Kubernetes 1.21, <c>v1beta1</c> on
    /// 1.20 — discovered, never assumed. Throws <see cref="InvalidOperationException"/> when it serves neither.
    /// </summary>
    public static async Task<ApiResource> EndpointSliceAsync(DynamicClient client, CancellationToken ct) =>
        await client.ResourceForAsync("discovery.k8s.io/v1", "EndpointSlice", ct)
        ?? await client.ResourceForAsync("discovery.k8s.io/v1beta1", "EndpointSlice", ct)
        ?? throw new InvalidOperationException("the cluster serves no EndpointSlice API (discovery.k8s.io/v1 or v1beta1)");
}
