using System.Collections.Concurrent;
using System.Text;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Registry;

/// <summary>Thrown when a member's stored credentials are missing or refused; carries no secret material.</summary>
public sealed class InvalidCredentialsException(string message) : Exception(message);

/// <summary>
/// One API client per member for the process's life, rebuilt only when its credentials Secret changes
/// (by resourceVersion), the Cluster's recorded allowances change, or an exec plugin's client certificate
/// expires. Stored credentials are validated before a client is built, under <see cref="StoredCredentialPolicy"/>:
/// what the cluster was joined with and this process consents to.
/// </summary>
public sealed class MemberClients(IKubernetes hub, TimeSpan requestTimeout, StoredCredentialPolicy? policy = null,
    TimeSpan? execTimeout = null, TimeProvider? clock = null, MemberRequestCounter? requests = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Version, DateTimeOffset? RebuildAfter, Kubernetes Client)> _clients = new(StringComparer.Ordinal);
    private readonly StoredCredentialPolicy _policy = policy ?? StoredCredentialPolicy.StrictHub;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The client for <paramref name="cluster"/>; throws <see cref="InvalidCredentialsException"/> for bad credentials.</summary>
    public async Task<Kubernetes> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var reference = cluster.Spec.CredentialsSecretRef
            ?? throw new InvalidCredentialsException($"Cluster/{name} has no credentialsSecretRef");
        V1Secret secret;
        try
        {
            secret = await hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, reference.Namespace, cancellationToken: ct);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InvalidCredentialsException($"Secret/{reference.Namespace}/{reference.Name} not found");
        }
        var (joined, unknown) = CredentialAllowances.Parse(cluster.Spec.CredentialAllowances);
        if (!unknown.IsEmpty)
            throw new InvalidCredentialsException($"Cluster/{name} spec.credentialAllowances has unknown entries: {string.Join(", ", unknown.Select(u => $"\"{u}\""))}");
        var version = $"{secret.Metadata.ResourceVersion}/{string.Join(",", joined)}";
        if (_clients.TryGetValue(name, out var cached) && cached.Version == version
            && (cached.RebuildAfter is not { } after || _clock.GetUtcNow() < after)) return cached.Client;
        var key = string.IsNullOrEmpty(reference.Key) ? FlotillaApi.KubeconfigKey : reference.Key;
        if (secret.Data is null || !secret.Data.TryGetValue(key, out var bytes))
            throw new InvalidCredentialsException($"Secret/{reference.Namespace}/{reference.Name} has no key \"{key}\"");
        var validation = _policy.Validate(Encoding.UTF8.GetString(bytes), name, joined);
        if (!validation.IsValid)
            throw new InvalidCredentialsException($"Secret/{reference.Namespace}/{reference.Name} refused: {string.Join("; ", validation.Problems.Select(p => p.Message))}");
        var (client, rebuildAfter) = await MemberClientFactory.CreateAsync(validation.Kubeconfig!, requestTimeout,
            execTimeout ?? MemberClientFactory.DefaultExecTimeout, _clock, ct, requests?.Handler(name));
        // A replaced client is not disposed: long-running users (watches, the simulator) may still hold it,
        // and disposing it under them fails them with NullReferenceException. The GC reclaims it.
        _clients[name] = (version, rebuildAfter, client);
        return client;
    }

    /// <summary>Drops the client of a cluster that was removed (users still holding it keep a working object).</summary>
    public void Forget(string cluster) => _clients.TryRemove(cluster, out _);

    public void Dispose()
    {
        foreach (var entry in _clients.Values) entry.Client.Dispose();
        _clients.Clear();
    }
}
