namespace Flotilla.Core.Health;

/// <summary>Service rules: a LoadBalancer is healthy once an ingress address is assigned; other types always are.</summary>
internal static class ServiceHealth
{
    public static HealthAssessment Assess(LiveObject service)
    {
        if (service.String("spec", "type") != "LoadBalancer")
        {
            return HealthAssessment.Healthy();
        }

        return service.Array("status", "loadBalancer", "ingress") is { Count: > 0 }
            ? HealthAssessment.Healthy("Load balancer address assigned")
            : HealthAssessment.Progressing("Waiting for a load balancer address");
    }
}
