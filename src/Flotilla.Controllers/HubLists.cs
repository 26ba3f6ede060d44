using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers;

/// <summary>The periodic lists <see cref="ObjectDiscovery"/> runs: key → version (generation + reconcile request).</summary>
public static class HubLists
{
    public static async Task<IReadOnlyDictionary<string, string>> ClustersAsync(IKubernetes hub, CancellationToken ct) =>
        (await new ClusterRegistry(hub).ListAsync(ct)).ToDictionary(c => c.Metadata.Name, c => Version(c.Metadata), StringComparer.Ordinal);

    public static async Task<IReadOnlyDictionary<string, string>> GitRepositoriesAsync(IKubernetes hub, CancellationToken ct)
    {
        var list = KubeJson.As<GitRepositoryResourceList>(await hub.CustomObjects.ListClusterCustomObjectAsync(
            FlotillaApi.Group, FlotillaApi.Version, GitRepositoryResource.Plural, cancellationToken: ct));
        return list.Items.ToDictionary(r => ObjectKey.Of(r.Metadata.NamespaceProperty, r.Metadata.Name), r => Version(r.Metadata), StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<BundleResource>> BundlesAsync(IKubernetes hub, CancellationToken ct) =>
        KubeJson.As<BundleResourceList>(await hub.CustomObjects.ListClusterCustomObjectAsync(
            FlotillaApi.Group, FlotillaApi.Version, BundleResource.Plural, cancellationToken: ct)).Items;

    public static async Task<IReadOnlyDictionary<string, string>> BundleKeysAsync(IKubernetes hub, CancellationToken ct) =>
        (await BundlesAsync(hub, ct)).ToDictionary(b => ObjectKey.Of(b.Metadata.NamespaceProperty, b.Metadata.Name), b => Version(b.Metadata), StringComparer.Ordinal);

    // Cluster versions include labels: a relabelled cluster may change placement, so bundles must look again.
    private static string Version(V1ObjectMeta m) =>
        $"{m.Generation}/{m.Annotation(ObjectDiscovery.ReconcileRequestAnnotation)}";
}
