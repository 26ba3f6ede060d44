using System.Text.Json.Serialization;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;

namespace Flotilla.Hub.Api;

/// <summary>A cluster as the clusters page and API list it: labels, taints, version, nodes, status, last seen.</summary>
public sealed record ClusterRow(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("taints")] IReadOnlyList<string> Taints,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("nodes")] int? Nodes,
    [property: JsonPropertyName("lastSeen")] DateTimeOffset? LastSeen);

/// <summary>A bundle's entry on one cluster (the cluster page).</summary>
public sealed record ClusterBundleRow(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cell")] MatrixCell Cell,
    [property: JsonPropertyName("drift")] string? Drift);

public static class ClusterRows
{
    /// <summary><c>Available</c>, or the Available condition's reason (Unreachable, AuthFailed, …), or <c>Unknown</c> before the first probe.</summary>
    public static string Status(ClusterResource cluster) =>
        cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available") is { } available
            ? available.Status == "True" ? "Available" : available.Reason ?? "NotAvailable"
            : "Unknown";

    public static IEnumerable<ClusterRow> Select(FleetView view, LabelSelector selector) =>
        view.Clusters
            .Where(c => selector.Matches((IReadOnlyDictionary<string, string>?)c.Metadata.Labels ?? new Dictionary<string, string>()))
            .OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .Select(Row);

    public static ClusterRow Row(ClusterResource c) => new(
        c.Metadata.Name, Status(c), c.Status?.Conditions?.FirstOrDefault(x => x.Type == "Available")?.Message,
        new SortedDictionary<string, string>((IDictionary<string, string>?)c.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        [.. (c.Spec.Taints ?? []).Select(t => t.ToString())], c.Status?.KubernetesVersion, c.Status?.NodeCount, c.Status?.LastHeartbeatTime);

    /// <summary>Every bundle with an entry for <paramref name="cluster"/>, ordered by namespace/name.</summary>
    public static IEnumerable<ClusterBundleRow> BundlesOn(FleetView view, string cluster) =>
        view.Bundles.OrderBy(b => b.Key, StringComparer.Ordinal)
            .Where(b => b.ByCluster.ContainsKey(cluster))
            .Select(b => (b, e: b.ByCluster[cluster]))
            .Select(x => new ClusterBundleRow(x.b.Namespace, x.b.Name, MatrixCell.From(x.e, x.b.Resource.Status?.DesiredRevision), x.e.Drift));
}
