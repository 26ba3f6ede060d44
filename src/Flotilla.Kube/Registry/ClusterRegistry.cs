using System.Net;
using System.Text;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Kube.Registry;

/// <summary>
/// The hub's registry of member clusters: <c>Cluster</c> objects plus their credentials Secrets in
/// <c>flotilla-system</c>. Credentials handed to it must already be validated and self-contained.
/// </summary>
public sealed class ClusterRegistry(IKubernetes hub)
{
    /// <summary>
    /// Creates or updates the registration of <paramref name="name"/> (Secret first, then the Cluster), recording
    /// the <paramref name="allowances"/> the credentials were accepted with (none: the field is removed).
    /// </summary>
    /// <param name="annotations">Annotations of the Cluster; a later join without one removes it (server-side apply).</param>
    public async Task<ClusterResource> JoinAsync(string name, string kubeconfig, string server,
        IReadOnlyList<LabelChange> labels, IReadOnlyList<TaintChange> taints, IEnumerable<CredentialAllowance> allowances, CancellationToken ct,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        RequireName(name);
        var existing = await GetAsync(name, ct);
        // A join would land on the Cluster being deleted and vanish with it when its cleanup ends.
        if (existing is { Metadata.DeletionTimestamp: not null })
            throw new InvalidOperationException($"cluster \"{name}\" is being removed: wait for it (`flotilla cluster remove {name}`) or give it up "
                + $"(`flotilla cluster remove {name} --orphan`), then join again");
        var secretName = FlotillaApi.KubeconfigSecretName(name);
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = secretName,
                NamespaceProperty = FlotillaApi.SystemNamespace,
                Labels = new Dictionary<string, string>
                {
                    [FlotillaApi.ClusterLabel] = name,
                    [FlotillaApi.CapiClusterNameLabel] = name,
                },
            },
            Type = "cluster.x-k8s.io/secret",
            Data = new Dictionary<string, byte[]> { [FlotillaApi.KubeconfigKey] = Encoding.UTF8.GetBytes(kubeconfig) },
        };
        // Owned by its Cluster, so the hub's garbage collector removes it when the Cluster goes however it is deleted
        // (`kubectl delete cluster` too). The reference needs the Cluster's uid: a first join writes the Secret again
        // once the Cluster exists (so does a re-join whose Cluster was replaced meanwhile).
        Task ApplySecretAsync(string? ownerUid)
        {
            secret.Metadata.OwnerReferences = ownerUid is null ? null
                : [new V1OwnerReference { ApiVersion = FlotillaApi.ApiVersion, Kind = FlotillaApi.ClusterKind, Name = name, Uid = ownerUid }];
            return hub.CoreV1.PatchNamespacedSecretAsync(new V1Patch(KubernetesJson.Serialize(secret), V1Patch.PatchType.ApplyPatch),
                secretName, FlotillaApi.SystemNamespace, fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
        }
        await ApplySecretAsync(existing?.Metadata.Uid);
        var cluster = new ClusterResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = labels.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!),
                Annotations = annotations?.ToDictionary(),
            },
            Spec = new ClusterSpec
            {
                Server = server,
                CredentialsSecretRef = new SecretReference { Name = secretName, Namespace = FlotillaApi.SystemNamespace, Key = FlotillaApi.KubeconfigKey },
                Taints = ApplyTaints([], taints, WholeSecondsNow()),
                CredentialAllowances = CredentialAllowances.ToWire(allowances) is { Count: > 0 } wire ? wire : null,
            },
        };
        var joined = await ApplyAsync(cluster, ct);
        if (joined.Metadata.Uid != existing?.Metadata.Uid) await ApplySecretAsync(joined.Metadata.Uid);
        return joined;
    }

    /// <summary>Registers a cluster whose credentials live in an existing Secret (e.g. one Cluster API wrote).</summary>
    public Task<ClusterResource> RegisterExistingSecretAsync(string name, string secretNamespace, string secretName, string server, CancellationToken ct)
    {
        RequireName(name);
        return ApplyAsync(new ClusterResource
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>() },
            Spec = new ClusterSpec
            {
                Server = server,
                CredentialsSecretRef = new SecretReference { Name = secretName, Namespace = secretNamespace, Key = FlotillaApi.KubeconfigKey },
            },
        }, ct);
    }

    /// <summary>Every registered cluster, ordered by name.</summary>
    public async Task<IReadOnlyList<ClusterResource>> ListAsync(CancellationToken ct)
    {
        var result = await hub.CustomObjects.ListClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cancellationToken: ct);
        return KubeJson.As<ClusterResourceList>(result).Items.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The cluster, or null when it is not registered.</summary>
    public async Task<ClusterResource?> GetAsync(string name, CancellationToken ct)
    {
        try
        {
            var result = await hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, name, ct);
            return KubeJson.As<ClusterResource>(result);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Sets or removes labels (kubectl syntax) on a registered cluster.</summary>
    public async Task<ClusterResource> LabelAsync(string name, IReadOnlyList<LabelChange> changes, CancellationToken ct)
    {
        await RequireAsync(name, ct);
        var labels = changes.ToDictionary(c => c.Key, c => (object?)c.Value);
        var patch = KubernetesJson.Serialize(new { metadata = new { labels } });
        var result = await hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, name, cancellationToken: ct);
        return KubeJson.As<ClusterResource>(result);
    }

    /// <summary>Adds or removes taints on a registered cluster.</summary>
    public async Task<ClusterResource> TaintAsync(string name, IReadOnlyList<TaintChange> changes, CancellationToken ct)
    {
        var cluster = await RequireAsync(name, ct);
        var taints = ApplyTaints(cluster.Spec.Taints ?? [], changes, WholeSecondsNow());
        var patch = KubernetesJson.Serialize(new { metadata = new { resourceVersion = cluster.Metadata.ResourceVersion }, spec = new { taints } });
        var result = await hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, name, cancellationToken: ct);
        return KubeJson.As<ClusterResource>(result);
    }

    /// <summary>
    /// Deletes the registration now (<c>--orphan</c>): the hub's cleanup finalizer is dropped if a removal was waiting
    /// on it, and the credentials Secret Flotilla created goes too. Nothing on the member is touched: the bundles'
    /// objects and their inventory ConfigMaps stay there. A Secret that Flotilla did not create (e.g. Cluster API's) is
    /// left alone. False when the cluster is not registered.
    /// </summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        var cluster = await GetAsync(name, ct);
        if (cluster is null) return false;
        await FinalizersPatch.RemoveAsync(hub, cluster, FlotillaApi.CleanupFinalizer, ct);
        try { await hub.CustomObjects.DeleteClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, name, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { } // a removal the finalizer held just ended
        await DeleteCredentialsAsync(cluster, ct);
        return true;
    }

    /// <summary>
    /// Starts a removal that waits for cleanup: puts the finalizer <see cref="FlotillaApi.CleanupFinalizer"/> on the
    /// Cluster and deletes it, so it stays (with a deletion timestamp) until the hub has removed every bundle from the
    /// member and dropped the finalizer. Nothing happens to a cluster already being removed.
    /// </summary>
    public async Task BeginCleanupRemovalAsync(ClusterResource cluster, CancellationToken ct)
    {
        if (cluster.Metadata.DeletionTimestamp is not null) return;
        if (cluster.Metadata.Finalizers?.Contains(FlotillaApi.CleanupFinalizer) != true)
            await FinalizersPatch.AddAsync(hub, cluster, FlotillaApi.CleanupFinalizer, ct);
        await hub.CustomObjects.DeleteClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>Deletes the credentials Secret of <paramref name="cluster"/> if Flotilla created it (idempotent).</summary>
    public async Task DeleteCredentialsAsync(ClusterResource cluster, CancellationToken ct)
    {
        var secretName = FlotillaApi.KubeconfigSecretName(cluster.Metadata.Name);
        if (cluster.Spec.CredentialsSecretRef is not { } r || r.Namespace != FlotillaApi.SystemNamespace || r.Name != secretName) return;
        try { await hub.CoreV1.DeleteNamespacedSecretAsync(secretName, FlotillaApi.SystemNamespace, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }

    /// <summary>Reads the kubeconfig text a cluster's credentials Secret holds.</summary>
    public async Task<string> ReadKubeconfigAsync(ClusterResource cluster, CancellationToken ct)
    {
        var reference = cluster.Spec.CredentialsSecretRef
            ?? throw new InvalidOperationException($"Cluster/{cluster.Metadata.Name} has no credentialsSecretRef");
        var secret = await hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, reference.Namespace, cancellationToken: ct);
        var key = string.IsNullOrEmpty(reference.Key) ? FlotillaApi.KubeconfigKey : reference.Key;
        if (secret.Data is null || !secret.Data.TryGetValue(key, out var bytes))
            throw new InvalidOperationException($"Secret/{reference.Namespace}/{reference.Name} has no key \"{key}\"");
        return Encoding.UTF8.GetString(bytes);
    }

    private async Task<ClusterResource> ApplyAsync(ClusterResource cluster, CancellationToken ct)
    {
        var result = await hub.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch(KubernetesJson.Serialize(cluster), V1Patch.PatchType.ApplyPatch),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster.Metadata.Name,
            fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
        return KubeJson.As<ClusterResource>(result);
    }

    private async Task<ClusterResource> RequireAsync(string name, CancellationToken ct) =>
        await GetAsync(name, ct) ?? throw new KeyNotFoundException($"cluster \"{name}\" is not registered");

    private static void RequireName(string name)
    {
        if (!LabelValidation.IsDnsLabel(name))
            throw new ArgumentException($"invalid cluster name \"{name}\": lowercase letters, digits and '-', at most 63, starting and ending alphanumeric", nameof(name));
    }

    private static DateTimeOffset WholeSecondsNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    // A taint gets the time it was added (tolerationSeconds count from there); the same taint set again keeps its time.
    private static List<ClusterTaint> ApplyTaints(IEnumerable<ClusterTaint> current, IReadOnlyList<TaintChange> changes, DateTimeOffset now)
    {
        var taints = current.ToList();
        foreach (var change in changes)
        {
            var replaced = taints.FirstOrDefault(t => t.Key == change.Key && t.Effect == change.Effect?.ToString() && t.Value == change.Value);
            taints.RemoveAll(t => t.Key == change.Key && (change.Effect is null || t.Effect == change.Effect.ToString()));
            if (!change.Remove)
                taints.Add(new ClusterTaint { Key = change.Key, Value = change.Value, Effect = change.Effect!.Value.ToString(), TimeAdded = replaced?.TimeAdded ?? now });
        }
        return taints.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Effect, StringComparer.Ordinal).ToList();
    }
}
