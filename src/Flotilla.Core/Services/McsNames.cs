namespace Flotilla.Core.Services;

/// <summary>The labels and names of the Multi-Cluster Services API (KEP-1645) and Flotilla's marks on what it writes.</summary>
public static class McsNames
{
    public const string Group = "multicluster.x-k8s.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>On an imported EndpointSlice: the imported service's name.</summary>
    public const string ServiceNameLabel = "multicluster.kubernetes.io/service-name";

    /// <summary>On an imported EndpointSlice: the cluster whose endpoints it carries.</summary>
    public const string SourceClusterLabel = "multicluster.kubernetes.io/source-cluster";

    /// <summary>The label an EndpointSlice controller puts on a Service's own slices.</summary>
    public const string LocalServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>Who manages a slice (the EndpointSlice API's own label); Flotilla's copies say <see cref="SliceManager"/>.</summary>
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    public const string SliceManager = "flotilla.io";

    /// <summary>On everything Flotilla writes for a ClusterSet: the set's name (with the usual <c>flotilla.io/managed-by</c>).</summary>
    public const string ClusterSetLabel = "flotilla.io/cluster-set";

    /// <summary>Annotation on a copied slice: the name of the slice it copies in the source cluster.</summary>
    public const string SourceSliceAnnotation = "flotilla.io/source-slice";
}
