using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// What the hub knows about one member when it places a bundle: its labels and taints (from the Cluster spec), the
/// facts it observed (Kubernetes version, node count, custom properties) and whether it is reachable.
/// <see cref="UnavailableSince"/> is null for an available cluster; otherwise the engine adds the automatic
/// <see cref="UnavailableTaint"/> with that time as its <c>timeAdded</c>.
/// </summary>
/// <remarks>Input only; not compared. Dictionaries are read in the hot path, so a plain or frozen dictionary beats an immutable one.</remarks>
public sealed record ClusterFacts(string Name)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyMap;

    /// <summary>Taints in the order the Cluster lists them; the first one that keeps the bundle away is the reason given.</summary>
    public IReadOnlyList<ClusterTaint> Taints { get; init; } = [];

    /// <summary>Custom properties the cluster carries (e.g. <c>gpu-count: "4"</c>), matched by the fact selector and scored by <c>ClusterProperty</c>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyMap;

    /// <summary>The version the member reports (<c>v1.20.2</c>, <c>v1.27.3-eks-a5565ad</c>); null when not yet observed.</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>Null when not yet observed.</summary>
    public int? NodeCount { get; init; }

    /// <summary>When the cluster became unavailable; null while it is available.</summary>
    public DateTimeOffset? UnavailableSince { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
