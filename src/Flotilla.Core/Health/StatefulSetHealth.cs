namespace Flotilla.Core.Health;

/// <summary>StatefulSet rules, as <c>kubectl rollout status</c> judges them (partitions and OnDelete included).</summary>
internal static class StatefulSetHealth
{
    public static HealthAssessment Assess(LiveObject statefulSet)
    {
        if (statefulSet.ObservedGeneration is null || statefulSet.IsGenerationUnobserved)
        {
            return HealthAssessment.Progressing("Waiting for the StatefulSet controller to observe the latest generation");
        }

        var desired = statefulSet.Int64("spec", "replicas") ?? 1;
        var ready = statefulSet.Int64("status", "readyReplicas") ?? 0;
        var current = statefulSet.Int64("status", "replicas") ?? 0;
        var updated = statefulSet.Int64("status", "updatedReplicas") ?? 0;

        if (ready < desired)
        {
            return HealthAssessment.Progressing($"Waiting for pods: {ready} of {desired} ready");
        }

        if (current > desired)
        {
            return HealthAssessment.Progressing($"Waiting for {current - desired} replicas to terminate");
        }

        if (statefulSet.String("spec", "updateStrategy", "type") == "OnDelete")
        {
            // Pods are replaced only when someone deletes them; there is no rollout to wait for.
            return HealthAssessment.Healthy($"{ready} of {desired} ready; OnDelete update strategy, rollout not tracked");
        }

        if (statefulSet.Int64("spec", "updateStrategy", "rollingUpdate", "partition") is long partition and > 0)
        {
            var expected = desired - partition;
            return updated < expected
                ? HealthAssessment.Progressing($"Waiting for partitioned rollout: {updated} of {expected} pods updated")
                : HealthAssessment.Healthy($"Partitioned rollout complete: {updated} pods updated");
        }

        var updateRevision = statefulSet.String("status", "updateRevision");
        var currentRevision = statefulSet.String("status", "currentRevision");
        if (updateRevision is not null && updateRevision != currentRevision)
        {
            return HealthAssessment.Progressing($"Waiting for rolling update: {updated} of {desired} pods at revision {updateRevision}");
        }

        return HealthAssessment.Healthy($"{ready} of {desired} ready");
    }
}
