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
/// what the cluster was joined with and this process consents to. The Secret is read again when the client was last
/// checked more than <see cref="RecheckAfter"/> ago (or the Cluster names other credentials): a change is picked up
/// within that time, and a sync does not wait on a read of the hub for every member it touches.
/// </summary>
public sealed class MemberClients(IKubernetes hub, TimeSpan requestTimeout, StoredCredentialPolicy? policy = null,
    TimeSpan? execTimeout = null, TimeProvider? clock = null, MemberRequestCounter? requests = null) : IDisposable
{
    /// <summary>How long a client checked against its Secret is used without reading the Secret again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);
    private readonly StoredCredentialPolicy _policy = policy ?? StoredCredentialPolicy.StrictHub;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The client for <paramref name="cluster"/>; throws <see cref="InvalidCredentialsException"/> for bad credentials.</summary>
    public async Task<Kubernetes> GetAsync(ClusterResource cluster, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var reference = cluster.Spec.CredentialsSecretRef
            ?? throw new InvalidCredentialsException($"Cluster/{name} has no credentialsSecretRef");
        var source = $"{reference.Namespace}/{reference.Name}/{reference.Key}/{string.Join(",", cluster.Spec.CredentialAllowances ?? [])}";
        var now = _clock.GetUtcNow();
        if (_clients.TryGetValue(name, out var recent) && recent.Source == source && now - recent.CheckedAt < RecheckAfter && Current(recent, now)) return recent.Client;
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
        if (_clients.TryGetValue(name, out var cached) && cached.Source == source && cached.Version == version && Current(cached, now))
        {
            _clients[name] = cached with { CheckedAt = now };
            return cached.Client;
        }
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
        _clients[name] = new Entry(source, version, now, rebuildAfter, client);
        return client;
    }

    // An exec plugin's client certificate expires: past that, the client is rebuilt whatever the Secret says.
    private static bool Current(Entry entry, DateTimeOffset now) => entry.RebuildAfter is not { } after || now < after;

    /// <summary>Drops the client of a cluster that was removed (users still holding it keep a working object).</summary>
    public void Forget(string cluster) => _clients.TryRemove(cluster, out _);

    public void Dispose()
    {
        foreach (var entry in _clients.Values) entry.Client.Dispose();
        _clients.Clear();
    }

    private sealed record Entry(string Source, string Version, DateTimeOffset CheckedAt, DateTimeOffset? RebuildAfter, Kubernetes Client);
}
