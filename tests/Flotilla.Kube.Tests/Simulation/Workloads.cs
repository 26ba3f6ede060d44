using k8s.Models;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>Builds minimal apps/v1 workloads for the simulator tests.</summary>
public static class Workloads
{
    public static readonly Dictionary<string, string> Fail = new() { ["flotilla.io/simulate"] = "fail" };

    public static V1Deployment Deployment(string name, int? replicas = null, IDictionary<string, string>? annotations = null) => new()
    {
        Metadata = Meta(name, annotations),
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = Selector(name), Template = Template(name, "app:1") },
    };

    public static V1StatefulSet StatefulSet(string name, int? replicas = null, IDictionary<string, string>? annotations = null) => new()
    {
        Metadata = Meta(name, annotations),
        Spec = new V1StatefulSetSpec { Replicas = replicas, ServiceName = name, Selector = Selector(name), Template = Template(name, "app:1") },
    };

    public static V1DaemonSet DaemonSet(string name, IDictionary<string, string>? annotations = null) => new()
    {
        Metadata = Meta(name, annotations),
        Spec = new V1DaemonSetSpec { Selector = Selector(name), Template = Template(name, "agent:1") },
    };

    public static V1PodTemplateSpec Template(string name, string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = $"registry.invalid/{image}" }] },
    };

    private static V1ObjectMeta Meta(string name, IDictionary<string, string>? annotations) => new()
    {
        Name = name,
        Annotations = annotations is null ? null : new Dictionary<string, string>(annotations),
    };

    private static V1LabelSelector Selector(string name) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = name } };
}
