using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Controllers;

/// <summary>Lists of hub objects the host needs in one piece.</summary>
public static class HubLists
{
    public static async Task<IReadOnlyList<BundleResource>> BundlesAsync(IKubernetes hub, CancellationToken ct) =>
        KubeJson.As<BundleResourceList>(await hub.CustomObjects.ListClusterCustomObjectAsync(
            FlotillaApi.Group, FlotillaApi.Version, BundleResource.Plural, cancellationToken: ct)).Items;
}
