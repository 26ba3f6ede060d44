using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Null-safe, read-only views of object metadata maps.</summary>
public static class MetadataExtensions
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> LabelMap(this V1ObjectMeta metadata) =>
        metadata.Labels is null ? Empty : new Dictionary<string, string>(metadata.Labels, StringComparer.Ordinal);

    public static string? Annotation(this V1ObjectMeta metadata, string key) =>
        metadata.Annotations is not null && metadata.Annotations.TryGetValue(key, out var value) ? value : null;
}
