using System.Net;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Kube.Api;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Kube.LocalFleet;

/// <summary>
/// The mark of a member the local fleet created, so that the workload simulator (which writes fake workload
/// statuses) never touches a real cluster. A member counts as the local fleet's only when both halves agree:
/// its <c>Cluster</c> on the hub carries <see cref="Annotation"/> = the fleet's id, and its own API server holds
/// the ConfigMap <c>kube-system/flotilla-local-fleet</c> with the same id. <c>flotilla local up</c> sets both; a
/// user would not set either by accident, and a Cluster re-joined to point at another server loses the match.
/// </summary>
public static class LocalFleetMarker
{
    /// <summary>Annotation on a hub <c>Cluster</c>: the id of the local fleet that created the member.</summary>
    public const string Annotation = "flotilla.io/local-fleet";

    /// <summary>Namespace of the marker ConfigMap inside the member (one that every API server creates itself).</summary>
    public const string MemberNamespace = "kube-system";

    /// <summary>Name of the marker ConfigMap inside the member.</summary>
    public const string MemberConfigMap = "flotilla-local-fleet";

    /// <summary>Key of the fleet id in the marker ConfigMap.</summary>
    public const string IdKey = "id";

    /// <summary>
    /// The fleet's id: a digest of its certificate authority, which every local fleet generates afresh, so two
    /// fleets never share an id and an existing fleet keeps its own across restarts. Not a secret (the CA
    /// certificate is public).
    /// </summary>
    public static string FleetId(string caCertificatePem) =>
        "lf-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caCertificatePem.Trim())))[..16];

    /// <summary>Writes the member half of the mark (server-side apply, idempotent).</summary>
    public static async Task MarkMemberAsync(IKubernetes member, string fleetId, CancellationToken ct)
    {
        try
        {
            // A just-started API server creates kube-system a moment after it reports ready; do what it would do.
            await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = MemberNamespace } }, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // It exists already: the usual case.
        }

        var marker = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = MemberConfigMap, NamespaceProperty = MemberNamespace },
            Data = new Dictionary<string, string> { [IdKey] = fleetId },
        };
        await member.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(KubernetesJson.Serialize(marker), V1Patch.PatchType.ApplyPatch),
            MemberConfigMap, MemberNamespace, fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
    }

    /// <summary>The fleet id the member's own API server holds, or null when it holds none.</summary>
    public static async Task<string?> ReadMemberIdAsync(IKubernetes member, CancellationToken ct)
    {
        try
        {
            var marker = await member.CoreV1.ReadNamespacedConfigMapAsync(MemberConfigMap, MemberNamespace, cancellationToken: ct);
            return marker.Data?.TryGetValue(IdKey, out var id) == true ? id : null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Why the cluster is not to be treated as the local fleet's (its annotation alone), or null when it may be.</summary>
    public static string? WhyNotMarked(ClusterResource cluster) =>
        cluster.Metadata.Annotations?.TryGetValue(Annotation, out var id) == true && !string.IsNullOrWhiteSpace(id)
            ? null
            : $"it is not a member the local fleet created (no {Annotation} annotation)";

    /// <summary>
    /// Why the cluster is not the local fleet's, given its annotation and the id its API server holds; null when
    /// both halves of the mark are there and agree.
    /// </summary>
    public static string? WhyNot(ClusterResource cluster, string? memberId)
    {
        if (WhyNotMarked(cluster) is { } reason) return reason;
        var id = cluster.Metadata.Annotations![Annotation];
        if (memberId is null) return $"its API server holds no local fleet marker ({MemberNamespace}/{MemberConfigMap}), so it is not a local fleet member";
        return string.Equals(memberId, id, StringComparison.Ordinal)
            ? null
            : $"its API server belongs to local fleet {memberId}, not {id}";
    }
}
