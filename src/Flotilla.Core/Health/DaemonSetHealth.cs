namespace Flotilla.Core.Health;

/// <summary>DaemonSet rules, as <c>kubectl rollout status</c> judges them.</summary>
internal static class DaemonSetHealth
{
    public static HealthAssessment Assess(LiveObject daemonSet)
    {
        if (daemonSet.ObservedGeneration is null || daemonSet.IsGenerationUnobserved)
        {
            return HealthAssessment.Progressing("Waiting for the DaemonSet controller to observe the latest generation");
        }

        var desired = daemonSet.Int64("status", "desiredNumberScheduled") ?? 0;
        var available = daemonSet.Int64("status", "numberAvailable") ?? 0;
        if (daemonSet.String("spec", "updateStrategy", "type") == "OnDelete")
        {
            return available < desired
                ? HealthAssessment.Progressing($"Waiting for pods: {available} of {desired} available")
                : HealthAssessment.Healthy($"{available} of {desired} available; OnDelete update strategy, rollout not tracked");
        }

        var updated = daemonSet.Int64("status", "updatedNumberScheduled") ?? 0;
        if (updated < desired)
        {
            return HealthAssessment.Progressing($"Waiting for rollout: {updated} of {desired} pods updated");
        }

        return available < desired
            ? HealthAssessment.Progressing($"Waiting for rollout: {available} of {desired} updated pods available")
            : HealthAssessment.Healthy($"{available} of {desired} available");
    }
}
