using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>clusters.flotilla.io</c>; mutable for the serializer, mapped at the boundary.</summary>
public sealed class ClusterResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = FlotillaApi.ClusterKind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ClusterSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ClusterStatus? Status { get; set; }
}

public sealed class ClusterSpec
{
    [JsonPropertyName("server")] public string? Server { get; set; }
    [JsonPropertyName("credentialsSecretRef")] public SecretReference? CredentialsSecretRef { get; set; }
    [JsonPropertyName("taints")] public List<ClusterTaint>? Taints { get; set; }
    [JsonPropertyName("healthCheck")] public HealthCheckSpec? HealthCheck { get; set; }

    /// <summary>Custom properties placement can select on and score by (<c>gpu-count: "4"</c>, <c>cost: "3"</c>).</summary>
    [JsonPropertyName("properties")] public Dictionary<string, string>? Properties { get; set; }

    /// <summary>
    /// What the credentials may use beyond inline data (Exec, AuthProvider, Insecure, Proxy), recorded by a join
    /// with the matching <c>--allow-…</c> flag; honoured only where the hub runs with the same flag.
    /// </summary>
    [JsonPropertyName("credentialAllowances")] public List<string>? CredentialAllowances { get; set; }
}

public sealed class SecretReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
    [JsonPropertyName("key")] public string? Key { get; set; }
}

public sealed class ClusterTaint
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("effect")] public string Effect { get; set; } = "";

    /// <summary>When the taint was added (set by <c>flotilla cluster taint</c>); a toleration's seconds count from here.</summary>
    [JsonPropertyName("timeAdded"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? TimeAdded { get; set; }

    public override string ToString() => string.IsNullOrEmpty(Value) ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}

public sealed class HealthCheckSpec
{
    [JsonPropertyName("intervalSeconds")] public int? IntervalSeconds { get; set; }
    [JsonPropertyName("unreachableGraceSeconds")] public int? UnreachableGraceSeconds { get; set; }
}

public sealed class ClusterStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("kubernetesVersion")] public string? KubernetesVersion { get; set; }
    [JsonPropertyName("nodeCount")] public int? NodeCount { get; set; }
    [JsonPropertyName("lastHeartbeatTime"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? LastHeartbeatTime { get; set; }
    [JsonPropertyName("lastProbeError")] public string? LastProbeError { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}

public sealed class StatusCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "Unknown";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("lastTransitionTime"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? LastTransitionTime { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
}

/// <summary>List wire type.</summary>
public sealed class ClusterResourceList
{
    [JsonPropertyName("items")] public List<ClusterResource> Items { get; set; } = [];
}
