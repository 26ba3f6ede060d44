namespace Flotilla.Core.Sync.Normalization;

/// <summary>
/// Where a resource quantity can appear, judged by a field's name and the name of the map holding it. Only such
/// fields compare by quantity value; everywhere else <c>"2"</c> and <c>"2000m"</c> stay different strings
/// (an environment variable or a ConfigMap value is never canonicalised by the server).
/// </summary>
internal static class QuantityFields
{
    /// <summary>Maps whose every value is a quantity, keyed by resource name (<c>cpu</c>, <c>nvidia.com/gpu</c>…).</summary>
    private static readonly HashSet<string> QuantityMaps = new(StringComparer.Ordinal)
    {
        "limits", "requests", // container and PVC resources
        "hard", "used", // ResourceQuota spec/status
        "capacity", "allocatable", // PersistentVolume, Node
        "max", "min", "default", "defaultRequest", "maxLimitRequestRatio", // LimitRange items
        "podFixed", // RuntimeClass overhead
    };

    /// <summary>Single fields that hold a quantity wherever they appear.</summary>
    private static readonly HashSet<string> QuantityKeys = new(StringComparer.Ordinal)
    {
        "sizeLimit", // emptyDir
        "averageValue", "targetAverageValue", // HPA metric targets (v2beta1/v2beta2)
        "storage", "cpu", "memory", "ephemeral-storage",
    };

    /// <summary>True when field <paramref name="key"/> inside the map named <paramref name="parent"/> holds a quantity.</summary>
    public static bool Holds(string key, string? parent) =>
        QuantityKeys.Contains(key)
        || (parent is not null && QuantityMaps.Contains(parent))
        || (key is "value" or "targetValue" && parent is "target" or "metric" or "object" or "external"); // HPA metric values
}
