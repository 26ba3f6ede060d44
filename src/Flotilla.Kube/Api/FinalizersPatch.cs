using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>
/// Adds or removes one finalizer on a Bundle with a JSON Patch that tests what it changes, so a finalizer another
/// controller added meanwhile is never lost (the patch fails instead and the reconcile runs again).
/// </summary>
public static class FinalizersPatch
{
    public static Task AddAsync(IKubernetes hub, BundleResource bundle, string finalizer, CancellationToken ct)
    {
        var current = bundle.Metadata.Finalizers;
        var ops = current is null || current.Count == 0
            ? new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray(finalizer) })
            : new JsonArray(
                new JsonObject { ["op"] = "test", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray([.. current.Select(f => (JsonNode)f)]) },
                new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers/-", ["value"] = finalizer });
        return PatchAsync(hub, bundle, ops, ct);
    }

    public static Task RemoveAsync(IKubernetes hub, BundleResource bundle, string finalizer, CancellationToken ct)
    {
        var index = bundle.Metadata.Finalizers?.IndexOf(finalizer) ?? -1;
        if (index < 0) return Task.CompletedTask;
        var ops = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = $"/metadata/finalizers/{index}", ["value"] = finalizer },
            new JsonObject { ["op"] = "remove", ["path"] = $"/metadata/finalizers/{index}" });
        return PatchAsync(hub, bundle, ops, ct);
    }

    private static Task PatchAsync(IKubernetes hub, BundleResource bundle, JsonArray ops, CancellationToken ct) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch),
            FlotillaApi.Group, FlotillaApi.Version, bundle.Metadata.NamespaceProperty, BundleResource.Plural, bundle.Metadata.Name, cancellationToken: ct);
}
