using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>globalendpoints.flotilla.io</c>.</summary>
public sealed class GlobalEndpointResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "globalendpoints";
    public const string KindName = "GlobalEndpoint";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KindName;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public GlobalEndpointSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public GlobalEndpointStatus? Status { get; set; }
}

public sealed class GlobalEndpointSpec
{
    [JsonPropertyName("clusterSet")] public string ClusterSet { get; set; } = "";
    [JsonPropertyName("service")] public ServiceReference Service { get; set; } = new();
    [JsonPropertyName("dnsName")] public string DnsName { get; set; } = "";
    [JsonPropertyName("ttl")] public long? Ttl { get; set; }
    [JsonPropertyName("regionWeights")] public Dictionary<string, int>? RegionWeights { get; set; }
}

public sealed class ServiceReference
{
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}

public sealed class GlobalEndpointStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("healthyClusters")] public int? HealthyClusters { get; set; }
    [JsonPropertyName("targets")] public List<GlobalEndpointTarget>? Targets { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}

public sealed class GlobalEndpointTarget
{
    [JsonPropertyName("cluster")] public string Cluster { get; set; } = "";
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("addresses")] public List<string>? Addresses { get; set; }
    [JsonPropertyName("weight")] public int Weight { get; set; }
    [JsonPropertyName("healthy")] public bool Healthy { get; set; }
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

public sealed class GlobalEndpointResourceList
{
    [JsonPropertyName("items")] public List<GlobalEndpointResource> Items { get; set; } = [];
}
