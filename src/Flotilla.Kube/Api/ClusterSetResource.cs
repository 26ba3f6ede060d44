using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>clustersets.flotilla.io</c>; mutable for the serializer, mapped at the boundary.</summary>
public sealed class ClusterSetResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "clustersets";
    public const string KindName = "ClusterSet";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KindName;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ClusterSetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ClusterSetStatus? Status { get; set; }
}

public sealed class ClusterSetSpec
{
    [JsonPropertyName("clusterSelector")] public V1LabelSelector? ClusterSelector { get; set; }
    [JsonPropertyName("staleEndpoints")] public StaleEndpointsSpec? StaleEndpoints { get; set; }
}

public sealed class StaleEndpointsSpec
{
    [JsonPropertyName("policy")] public string? Policy { get; set; }
    [JsonPropertyName("after")] public string? After { get; set; }
    [JsonPropertyName("returnAfter")] public string? ReturnAfter { get; set; }
}

public sealed class ClusterSetStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("memberCount")] public int? MemberCount { get; set; }
    [JsonPropertyName("serviceCount")] public int? ServiceCount { get; set; }
    [JsonPropertyName("members")] public List<string>? Members { get; set; }
    [JsonPropertyName("excluded")] public List<ExcludedClusterStatus>? Excluded { get; set; }
    [JsonPropertyName("endpoints")] public List<MemberEndpointsStatus>? Endpoints { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}

/// <summary>Whether a member's exported endpoints are published to the set now, and why (the stale-endpoints decision).</summary>
public sealed class MemberEndpointsStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("published")] public bool Published { get; set; }
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

public sealed class ExcludedClusterStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

public sealed class ClusterSetResourceList
{
    [JsonPropertyName("items")] public List<ClusterSetResource> Items { get; set; } = [];
}
