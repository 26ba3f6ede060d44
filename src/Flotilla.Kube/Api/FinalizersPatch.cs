using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>
/// Adds or removes one finalizer on a Bundle or a Cluster with a JSON Patch that tests what it changes, so a finalizer
/// another controller added meanwhile is never lost (the patch fails instead and the reconcile runs again).
/// </summary>
public static class FinalizersPatch
{
    public static Task AddAsync(IKubernetes hub, BundleResource bundle, string finalizer, CancellationToken ct) =>
        PatchAsync(hub, bundle, Add(bundle.Metadata, finalizer), ct);

    public static Task RemoveAsync(IKubernetes hub, BundleResource bundle, string finalizer, CancellationToken ct) =>
        Remove(bundle.Metadata, finalizer) is { } ops ? PatchAsync(hub, bundle, ops, ct) : Task.CompletedTask;

    public static Task AddAsync(IKubernetes hub, ClusterResource cluster, string finalizer, CancellationToken ct) =>
        PatchAsync(hub, cluster, Add(cluster.Metadata, finalizer), ct);

    public static Task RemoveAsync(IKubernetes hub, ClusterResource cluster, string finalizer, CancellationToken ct) =>
        Remove(cluster.Metadata, finalizer) is { } ops ? PatchAsync(hub, cluster, ops, ct) : Task.CompletedTask;

    private static JsonArray Add(V1ObjectMeta metadata, string finalizer)
    {
        var current = metadata.Finalizers;
        return current is null || current.Count == 0
            ? new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray(finalizer) })
            : new JsonArray(
                new JsonObject { ["op"] = "test", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray([.. current.Select(f => (JsonNode)f)]) },
                new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers/-", ["value"] = finalizer });
    }

    private static JsonArray? Remove(V1ObjectMeta metadata, string finalizer)
    {
        var index = metadata.Finalizers?.IndexOf(finalizer) ?? -1;
        return index < 0 ? null : new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = $"/metadata/finalizers/{index}", ["value"] = finalizer },
            new JsonObject { ["op"] = "remove", ["path"] = $"/metadata/finalizers/{index}" });
    }

    private static Task PatchAsync(IKubernetes hub, BundleResource bundle, JsonArray ops, CancellationToken ct) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch),
            FlotillaApi.Group, FlotillaApi.Version, bundle.Metadata.NamespaceProperty, BundleResource.Plural, bundle.Metadata.Name, cancellationToken: ct);

    private static Task PatchAsync(IKubernetes hub, ClusterResource cluster, JsonArray ops, CancellationToken ct) =>
        hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster.Metadata.Name, cancellationToken: ct);
}
