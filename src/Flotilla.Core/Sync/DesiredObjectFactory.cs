using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// Turns a rendered manifest into the object a cluster gets: normalised for what older API servers refuse
/// (<see cref="Normalization.ManifestNormalizer"/>), the namespace resolved (the manifest's own, else the bundle's
/// target namespace, else <c>default</c>; none for cluster-scoped kinds, with a warning when one was set), Flotilla's
/// ownership labels and annotations set, and the desired hash computed over all of it.
/// </summary>
public static class DesiredObjectFactory
{
    /// <summary>Prepares <paramref name="manifest"/>; <paramref name="namespaced"/> comes from the cluster's discovery.</summary>
    public static DesiredObject Create(Manifest manifest, bool namespaced, SyncPolicy policy, string owner, string bundleName)
    {
        var normalized = Normalization.ManifestNormalizer.Normalize(manifest.Object, clusterScoped: !namespaced);
        var body = normalized.Object;
        var metadata = body["metadata"]!.AsObject();
        var ns = "";
        if (namespaced)
        {
            ns = metadata["namespace"]?.GetValue<string>() is { Length: > 0 } given ? given : policy.TargetNamespace ?? "default";
            metadata["namespace"] = ns;
        }
        else metadata.Remove("namespace");
        return new DesiredObject(manifest.Ref with { Namespace = ns }, Owned(body, owner, bundleName), manifest.Source.ToString())
        {
            Warnings = normalized.Warnings,
        };
    }

    /// <summary>The Namespace object <c>spec.sync.createNamespace</c> adds for the target namespace: the bundle's like any other object.</summary>
    public static DesiredObject TargetNamespace(string name, string owner, string bundleName)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        return new DesiredObject(new ObjectRef("", "v1", "Namespace", "", name), Owned(body, owner, bundleName), "spec.sync.createNamespace");
    }

    private static JsonObject Owned(JsonObject body, string owner, string bundleName)
    {
        var metadata = body["metadata"]!.AsObject();
        if (metadata["labels"] is not JsonObject labels) metadata["labels"] = labels = new JsonObject();
        labels[OwnershipLabels.ManagedBy] = OwnershipLabels.ManagedByValue;
        labels[OwnershipLabels.Bundle] = owner;
        if (metadata["annotations"] is not JsonObject annotations) metadata["annotations"] = annotations = new JsonObject();
        annotations[OwnershipLabels.BundleName] = bundleName;
        annotations.Remove(OwnershipLabels.DesiredHash);
        annotations[OwnershipLabels.DesiredHash] = DriftComparer.DesiredHash(body);
        return body;
    }
}
