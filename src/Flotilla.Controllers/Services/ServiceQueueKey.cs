using Flotilla.Core.Services;

namespace Flotilla.Controllers.Services;

/// <summary>The work item of one multi-cluster service: <c>set/namespace/name</c> (none of the three holds a slash).</summary>
public static class ServiceQueueKey
{
    public static string Of(string clusterSet, ServiceKey service) => $"{clusterSet}/{service.Namespace}/{service.Name}";

    public static (string ClusterSet, ServiceKey Service) Split(string key)
    {
        var parts = key.Split('/');
        return (parts[0], new ServiceKey(parts[1], parts[2]));
    }
}
