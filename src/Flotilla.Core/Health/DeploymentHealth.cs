namespace Flotilla.Core.Health;

/// <summary>Deployment rules, as <c>kubectl rollout status</c> and gitops-engine judge them.</summary>
internal static class DeploymentHealth
{
    public static HealthAssessment Assess(LiveObject deployment)
    {
        if (deployment.Boolean("spec", "paused") == true)
        {
            return HealthAssessment.Progressing("Deployment is paused");
        }

        if (deployment.ObservedGeneration is null || deployment.IsGenerationUnobserved)
        {
            return HealthAssessment.Progressing("Waiting for the Deployment controller to observe the latest generation");
        }

        if (deployment.Condition("Progressing") is { Reason: "ProgressDeadlineExceeded" } progressing)
        {
            return HealthAssessment.Degraded($"Progress deadline exceeded: {progressing.Describe()}");
        }

        var desired = deployment.Int64("spec", "replicas") ?? 1;
        var updated = deployment.Int64("status", "updatedReplicas") ?? 0;
        var current = deployment.Int64("status", "replicas") ?? 0;
        var available = deployment.Int64("status", "availableReplicas") ?? 0;

        if (updated < desired)
        {
            return HealthAssessment.Progressing($"Waiting for rollout: {updated} of {desired} replicas updated");
        }

        if (current > updated)
        {
            return HealthAssessment.Progressing($"Waiting for rollout: {current - updated} old replicas pending termination");
        }

        if (available < updated)
        {
            return HealthAssessment.Progressing($"Waiting for rollout: {available} of {updated} updated replicas available");
        }

        return HealthAssessment.Healthy($"{available} of {desired} replicas available");
    }
}
