using Flotilla.Git.Charts;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Sources;

/// <summary>A HelmRepository's credentials from its Secret, read the same way by the hub and by <c>flotilla diff/plan</c>.</summary>
public static class HelmRepositorySecrets
{
    /// <summary>The Secret's <c>username</c>/<c>password</c>, <c>token</c> and <c>ca.crt</c>; none without a secretRef.</summary>
    public static async Task<HelmRepositoryCredentials> ReadAsync(IKubernetes hub, HelmRepositoryResource repository, CancellationToken ct)
    {
        if (repository.Spec.SecretRef is not { } reference) return HelmRepositoryCredentials.None;
        k8s.Models.V1Secret secret;
        try
        {
            secret = await hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, repository.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"spec.secretRef: Secret {reference.Name} not found");
        }
        return HelmRepositoryCredentials.FromSecret(secret.Data);
    }
}
