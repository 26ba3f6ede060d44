using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Hub.Install;

/// <summary>
/// <c>flotilla hub install --controller</c>: the CRDs and Namespace, then <see cref="ControllerManifests"/>, all by
/// server-side apply (field manager <c>flotilla</c>, forced), so running it again upgrades in place.
/// </summary>
public static class ControllerInstaller
{
    /// <summary>Applies everything; returns <c>kind/name</c> of each object in the order applied.</summary>
    public static async Task<IReadOnlyList<string>> InstallAsync(Kubernetes hub, ControllerManifestOptions options, TimeSpan timeout, CancellationToken ct)
    {
        var applied = (await CrdInstaller.InstallAsync(hub, timeout, ct)).Select(n => $"customresourcedefinition.apiextensions.k8s.io/{n}").ToList();
        var api = new DynamicClient(hub);
        options.PodDisruptionBudgetApiVersion = await ServedPodDisruptionBudgetVersionAsync(api, ct);
        foreach (var manifest in ControllerManifests.Render(options))
        {
            var resource = await api.ResourceForAsync(manifest.ApiVersion, manifest.Kind, ct)
                ?? throw new InvalidOperationException($"the hub API server does not serve {manifest.Kind} in {manifest.ApiVersion}");
            var obj = JsonNode.Parse(KubernetesJson.Serialize(manifest))!.AsObject();
            await api.ApplyAsync(resource, obj, dryRun: false, force: true, ct, metadataOnly: true);
            applied.Add($"{manifest.Kind.ToLowerInvariant()}/{manifest.Metadata.Name}");
        }
        return applied;
    }

    /// <summary><c>policy/v1</c> where served (Kubernetes 1.21+), else <c>policy/v1beta1</c>.</summary>
    public static async Task<string> ServedPodDisruptionBudgetVersionAsync(DynamicClient api, CancellationToken ct) =>
        await api.ResourceForAsync(ControllerManifestOptions.PolicyV1, "PodDisruptionBudget", ct) is not null
            ? ControllerManifestOptions.PolicyV1
            : ControllerManifestOptions.PolicyV1Beta1;
}
