using System.Text;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Credentials;
using k8s;

namespace Flotilla.Kube.Registry;

/// <summary>The outcome of importing one Cluster API kubeconfig Secret; <see cref="Error"/> is null on success.</summary>
public sealed record CapiImportResult(string Secret, string Cluster, string? Error);

/// <summary>
/// Registers Cluster API clusters: every Secret labelled <c>cluster.x-k8s.io/cluster-name</c> in a hub namespace
/// becomes a <c>Cluster</c> that references that Secret in place (so Cluster API's rotations are picked up).
/// Each kubeconfig is validated first; one bad Secret fails only itself.
/// </summary>
public sealed class CapiImporter(IKubernetes hub, KubeconfigCredentialValidator validator)
{
    public async Task<IReadOnlyList<CapiImportResult>> ImportAsync(string ns, CancellationToken ct)
    {
        var secrets = await hub.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: FlotillaApi.CapiClusterNameLabel, cancellationToken: ct);
        var registry = new ClusterRegistry(hub);
        var results = new List<CapiImportResult>();
        foreach (var secret in secrets.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var name = secret.Metadata.Labels[FlotillaApi.CapiClusterNameLabel];
            var secretName = secret.Metadata.Name;
            if (!LabelValidation.IsDnsLabel(name))
            {
                results.Add(new(secretName, name, $"cluster name \"{name}\" is not a DNS label"));
                continue;
            }
            if (secret.Data is null || !secret.Data.TryGetValue(FlotillaApi.KubeconfigKey, out var bytes))
            {
                results.Add(new(secretName, name, $"no key \"{FlotillaApi.KubeconfigKey}\""));
                continue;
            }
            var validation = validator.Validate(Encoding.UTF8.GetString(bytes), null, CredentialPolicy.Strict);
            if (!validation.IsValid)
            {
                results.Add(new(secretName, name, string.Join("; ", validation.Problems.Select(p => p.Message))));
                continue;
            }
            await registry.RegisterExistingSecretAsync(name, ns, secretName, validation.ServerUrl!, ct);
            results.Add(new(secretName, name, null));
        }
        return results;
    }
}
