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
/// what the cluster was joined with and this process consents to. With <paramref name="watched"/> (the hub), a Secret
/// whose namespace is watched is never read while its resourceVersion stays the one the client was built from, and a
/// change is read by the first call after the watch saw it. Otherwise a client checked more than <see cref="RecheckAfter"/>
/// ago is still handed out, and its Secret is read again in the background (once at a time per cluster): a change is
/// picked up by the first call after that read, and a sync never waits on a read of the hub for the members it touches.
/// A recheck that finds the Secret gone or refused drops the client, so the next call reads it again and says why. A
/// Cluster that names other credentials is read at once.
/// </summary>
public sealed class MemberClients(IKubernetes hub, TimeSpan requestTimeout, StoredCredentialPolicy? policy = null,
    TimeSpan? execTimeout = null, TimeProvider? clock = null, MemberRequestCounter? requests = null, SecretVersions? watched = null) : IDisposable
{
    /// <summary>How long a client checked against its Secret is used before the Secret is read again (in the background).</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RecheckTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _rechecks = new(StringComparer.Ordinal);
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
        // Asked first, so the namespace's watch starts with the first client built from it.
        string? version = null;
        var known = watched is not null && watched.TryGet(reference.Namespace, reference.Name, out version);
        if (!_clients.TryGetValue(name, out var recent) || recent.Source != source || !Current(recent, now)) return await LoadAsync(cluster, reference, source, ct);
        if (known) return version == recent.SecretVersion ? recent.Client : await LoadAsync(cluster, reference, source, ct);
        if (now - recent.CheckedAt >= RecheckAfter && !_rechecks.ContainsKey(name)) Recheck(cluster, reference, source, recent);
        return recent.Client;
    }

    /// <summary>The background read of a cluster's Secret once its client is due a check; see the class summary.</summary>
    public Task RecheckOf(string cluster) => _rechecks.GetValueOrDefault(cluster) ?? Task.CompletedTask;

    private void Recheck(ClusterResource cluster, SecretReference reference, string source, Entry checkedEntry)
    {
        var name = cluster.Metadata.Name;
        var done = new TaskCompletionSource();
        if (!_rechecks.TryAdd(name, done.Task)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(RecheckTimeout);
                await LoadAsync(cluster, reference, source, timeout.Token);
            }
            catch (Exception e) when (HubUnavailable(e)) { } // the client stays; the next call past the interval tries again
            catch (Exception)
            {
                // Refused now (gone, invalid, not allowed): the next call reads the Secret itself and fails with the reason.
                _clients.TryRemove(KeyValuePair.Create(name, checkedEntry));
            }
            finally
            {
                _rechecks.TryRemove(name, out _);
                done.SetResult();
            }
        });
    }

    private async Task<Kubernetes> LoadAsync(ClusterResource cluster, SecretReference reference, string source, CancellationToken ct)
    {
        var name = cluster.Metadata.Name;
        var now = _clock.GetUtcNow();
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
        _clients[name] = new Entry(source, version, secret.Metadata.ResourceVersion, now, rebuildAfter, client);
        return client;
    }

    private static bool HubUnavailable(Exception e) => e is HttpRequestException or IOException or OperationCanceledException
        || e is k8s.Autorest.HttpOperationException { Response.StatusCode: >= System.Net.HttpStatusCode.InternalServerError or System.Net.HttpStatusCode.TooManyRequests };

    // An exec plugin's client certificate expires: past that, the client is rebuilt whatever the Secret says.
    private static bool Current(Entry entry, DateTimeOffset now) => entry.RebuildAfter is not { } after || now < after;

    /// <summary>Drops the client of a cluster that was removed (users still holding it keep a working object).</summary>
    public void Forget(string cluster) => _clients.TryRemove(cluster, out _);

    public void Dispose()
    {
        foreach (var entry in _clients.Values) entry.Client.Dispose();
        _clients.Clear();
    }

    private sealed record Entry(string Source, string Version, string SecretVersion, DateTimeOffset CheckedAt, DateTimeOffset? RebuildAfter, Kubernetes Client);
}
