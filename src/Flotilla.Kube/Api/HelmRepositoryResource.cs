using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>helmrepositories.flotilla.io</c>.</summary>
public sealed class HelmRepositoryResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "helmrepositories";
    public const string KindName = "HelmRepository";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KindName;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HelmRepositorySpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public HelmRepositoryStatus? Status { get; set; }
}

public sealed class HelmRepositorySpec
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("secretRef")] public LocalObjectReference? SecretRef { get; set; }
    [JsonPropertyName("suspend")] public bool? Suspend { get; set; }
}

public sealed class HelmRepositoryStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("indexDigest")] public string? IndexDigest { get; set; }
    [JsonPropertyName("fetchedAt"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? FetchedAt { get; set; }
    [JsonPropertyName("lastError")] public string? LastError { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}
