namespace Flotilla.Kube.Api;

/// <summary>Names of Flotilla's API group and the conventions it shares with Cluster API.</summary>
public static class FlotillaApi
{
    public const string Group = "flotilla.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string ClusterPlural = "clusters";
    public const string NotificationPlural = "notifications";
    public const string ClusterKind = "Cluster";

    /// <summary>The namespace on the hub holding credentials, leases and events.</summary>
    public const string SystemNamespace = "flotilla-system";

    /// <summary>Server-side apply field manager of everything Flotilla writes.</summary>
    public const string FieldManager = Flotilla.Core.Sync.SyncPlanner.FieldManager;

    /// <summary>Key of the kubeconfig inside a credentials Secret (Cluster API convention).</summary>
    public const string KubeconfigKey = "value";

    /// <summary>Label Cluster API puts on its kubeconfig Secrets.</summary>
    public const string CapiClusterNameLabel = "cluster.x-k8s.io/cluster-name";

    /// <summary>Label on every hub object that belongs to one registered cluster.</summary>
    public const string ClusterLabel = "flotilla.io/cluster";

    /// <summary>
    /// Finalizer of a Bundle (its objects are being removed from every member) and of a Cluster whose removal waits
    /// for the hub to remove every bundle's objects and inventory from it (<c>flotilla cluster remove</c> without
    /// <c>--orphan</c>).
    /// </summary>
    public const string CleanupFinalizer = "flotilla.io/cleanup";

    /// <summary>Condition on a Cluster being removed: True while the hub still removes bundles from it, with what it waits for.</summary>
    public const string RemovingCondition = "Removing";

    /// <summary>Name of the credentials Secret of cluster <paramref name="cluster"/>.</summary>
    public static string KubeconfigSecretName(string cluster) => $"{cluster}-kubeconfig";
}
