namespace Flotilla.Core.Health;

/// <summary>ReplicaSet rules (gitops-engine): replica failures degrade, missing replicas progress.</summary>
internal static class ReplicaSetHealth
{
    public static HealthAssessment Assess(LiveObject replicaSet)
    {
        if (replicaSet.ObservedGeneration is null || replicaSet.IsGenerationUnobserved)
        {
            return HealthAssessment.Progressing("Waiting for the ReplicaSet controller to observe the latest generation");
        }

        if (replicaSet.Condition("ReplicaFailure") is { IsTrue: true } failure)
        {
            return HealthAssessment.Degraded($"Replica failure: {failure.Describe()}");
        }

        var desired = replicaSet.Int64("spec", "replicas") ?? 1;
        var available = replicaSet.Int64("status", "availableReplicas") ?? 0;
        return available < desired
            ? HealthAssessment.Progressing($"Waiting for replicas: {available} of {desired} available")
            : HealthAssessment.Healthy($"{available} of {desired} available");
    }
}
