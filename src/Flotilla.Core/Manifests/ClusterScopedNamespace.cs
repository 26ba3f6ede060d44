namespace Flotilla.Core.Manifests;

/// <summary>
/// The one wording for a namespace set on a cluster-scoped object. Such manifests are common (a namespace added by
/// hand or by a kustomization to every object) and the API server ignores the field, so Flotilla drops it and says
/// so instead of refusing the whole render.
/// </summary>
internal static class ClusterScopedNamespace
{
    /// <summary><c>namespace X ignored: Y is cluster-scoped</c>.</summary>
    public static string Warning(string ignoredNamespace, string objectDescription) =>
        $"namespace {ignoredNamespace} ignored: {objectDescription} is cluster-scoped";
}
