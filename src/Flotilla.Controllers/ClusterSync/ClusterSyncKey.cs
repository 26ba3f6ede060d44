namespace Flotilla.Controllers.ClusterSync;

/// <summary>The work key of one (bundle, cluster) pair: <c>namespace/bundle/cluster</c> (none of the three holds a '/').</summary>
public static class ClusterSyncKey
{
    public static string Of(string bundleKey, string cluster) => $"{bundleKey}/{cluster}";

    public static (string BundleKey, string Cluster) Split(string key)
    {
        var last = key.LastIndexOf('/');
        return (key[..last], key[(last + 1)..]);
    }
}
