using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Flotilla.Kube.Simulation;

/// <summary>
/// What a cloud's service controller would write for a Service of type LoadBalancer on the local fleet (no cloud
/// there): one ingress IP from the documentation range 203.0.113.0/24, the same for the same cluster, namespace and
/// name. A Service that already has an ingress address (a test or a person set one) is left as it is.
/// </summary>
public static class LoadBalancerStatusRules
{
    public static WorkloadStatusPlan Plan(V1Service service, string cluster)
    {
        var meta = service.Metadata;
        string? patch = null;
        if (service.Status?.LoadBalancer?.Ingress is not { Count: > 0 })
        {
            var status = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = AddressOf(cluster, meta.NamespaceProperty, meta.Name) }) } };
            var body = new JsonObject();
            if (meta.ResourceVersion is { Length: > 0 } version) body["metadata"] = new JsonObject { ["resourceVersion"] = version };
            body["status"] = status;
            patch = body.ToJsonString();
        }
        return new WorkloadStatusPlan(WorkloadKind.LoadBalancerService, meta.NamespaceProperty, meta.Name, meta.Uid, meta.Generation ?? 1, SimulatedOutcome.Ready, patch);
    }

    /// <summary>203.0.113.1–254, picked by a hash of cluster/namespace/name.</summary>
    public static string AddressOf(string cluster, string ns, string name) =>
        $"203.0.113.{1 + SHA256.HashData(Encoding.UTF8.GetBytes($"{cluster}/{ns}/{name}"))[0] % 254}";
}
