using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>gitrepositories.flotilla.io</c>.</summary>
public sealed class GitRepositoryResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "gitrepositories";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "GitRepository";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public GitRepositorySpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public GitRepositoryStatus? Status { get; set; }
}

public sealed class GitRepositorySpec
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("ref")] public GitRefSpec? Ref { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("secretRef")] public LocalObjectReference? SecretRef { get; set; }
    [JsonPropertyName("suspend")] public bool? Suspend { get; set; }
}

public sealed class GitRefSpec
{
    [JsonPropertyName("branch")] public string? Branch { get; set; }
    [JsonPropertyName("tag")] public string? Tag { get; set; }
    [JsonPropertyName("commit")] public string? Commit { get; set; }
}

public sealed class LocalObjectReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}

public sealed class GitRepositoryStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("revision")] public string? Revision { get; set; }
    [JsonPropertyName("fetchedAt"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? FetchedAt { get; set; }
    [JsonPropertyName("lastAttemptAt"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? LastAttemptAt { get; set; }
    [JsonPropertyName("lastError")] public string? LastError { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}

public sealed class GitRepositoryResourceList
{
    [JsonPropertyName("items")] public List<GitRepositoryResource> Items { get; set; } = [];
}
