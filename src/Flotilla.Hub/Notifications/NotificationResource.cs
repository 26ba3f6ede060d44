using System.Text.Json.Serialization;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;

namespace Flotilla.Hub.Notifications;

/// <summary>Wire type of <c>notifications.flotilla.io</c> (the CRD's descriptions are the contract).</summary>
public sealed class NotificationResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Notification";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public NotificationSpec Spec { get; set; } = new();
}

public sealed class NotificationSpec
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("format")] public string? Format { get; set; }
    [JsonPropertyName("secretRef")] public LocalObjectReference? SecretRef { get; set; }
    [JsonPropertyName("events")] public List<string>? Events { get; set; }
    [JsonPropertyName("bundles")] public List<string>? Bundles { get; set; }
}
