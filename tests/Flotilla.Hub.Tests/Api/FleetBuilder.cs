using Flotilla.Hub.Api;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Hub.Tests.Api;

/// <summary>Fills a <see cref="FleetView"/> with clusters and bundles as the watches would (tests and the matrix benchmark's shape).</summary>
public static class FleetBuilder
{
    public static ClusterResource Cluster(string name, Dictionary<string, string> labels, bool available = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Status = new ClusterStatus { Conditions = [new StatusCondition { Type = "Available", Status = available ? "True" : "False", Reason = available ? "Ready" : "Unreachable" }] },
    };

    public static BundleResource Bundle(string ns, string name, string revision, params BundleClusterStatus[] clusters) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Status = new BundleStatus { DesiredRevision = revision, Clusters = [.. clusters] },
    };

    public static BundleClusterStatus Entry(string cluster, string phase, string? applied, string health = "Healthy", string? drift = null, string? error = null) =>
        new() { Name = cluster, Phase = phase, AppliedRevision = applied, Health = health, Drift = drift, Error = error };
}
