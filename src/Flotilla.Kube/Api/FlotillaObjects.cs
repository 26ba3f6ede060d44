using System.Net;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Autorest;

namespace Flotilla.Kube.Api;

/// <summary>Typed reads of Flotilla's namespaced objects on the hub.</summary>
public static class FlotillaObjects
{
    /// <summary>The object, or null when it does not exist.</summary>
    public static async Task<T?> FindAsync<T>(IKubernetes hub, string ns, string plural, string name, CancellationToken ct) where T : class
    {
        try
        {
            return KubeJson.As<T>(await hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ns, plural, name, ct));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object; a clear error naming it when it does not exist.</summary>
    public static async Task<T> GetAsync<T>(IKubernetes hub, string ns, string plural, string name, CancellationToken ct) where T : class =>
        await FindAsync<T>(hub, ns, plural, name, ct) ?? throw new KeyNotFoundException($"{plural}.{FlotillaApi.Group} \"{name}\" not found in namespace {ns}");
}
