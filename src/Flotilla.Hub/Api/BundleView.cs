using Flotilla.Kube.Api;

namespace Flotilla.Hub.Api;

/// <summary>A Bundle as the view holds it: the object and its per-cluster status entries indexed by cluster name.</summary>
public sealed class BundleView
{
    public BundleView(BundleResource bundle)
    {
        Resource = bundle;
        Key = $"{bundle.Metadata.NamespaceProperty}/{bundle.Metadata.Name}";
        var byCluster = new Dictionary<string, BundleClusterStatus>(StringComparer.Ordinal);
        foreach (var entry in bundle.Status?.Clusters ?? []) byCluster[entry.Name] = entry;
        ByCluster = byCluster;
    }

    public BundleResource Resource { get; }

    /// <summary><c>namespace/name</c>.</summary>
    public string Key { get; }

    public string Namespace => Resource.Metadata.NamespaceProperty;

    public string Name => Resource.Metadata.Name;

    public IReadOnlyDictionary<string, BundleClusterStatus> ByCluster { get; }

    /// <summary>True when the Ready condition is True.</summary>
    public bool Ready => Resource.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
