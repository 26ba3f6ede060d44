using System.Text.Json.Nodes;

namespace Flotilla.Core.Health;

/// <summary>
/// Judges the health of one live object, the way kstatus and gitops-engine do: a pure function of the
/// object alone, no clock and no other objects.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No object: <see cref="HealthStatus.Missing"/>. An object being deleted: Progressing.</item>
/// <item>Deployment, StatefulSet, DaemonSet, ReplicaSet: generation observed, replicas updated and available
/// (<c>kubectl rollout status</c> rules); a Deployment past its progress deadline is Degraded.</item>
/// <item>Pod: phase, and containers waiting in CrashLoopBackOff, ImagePullBackOff and similar are Degraded.</item>
/// <item>Job: Failed/FailureTarget Degraded, Complete Healthy, otherwise Progressing.</item>
/// <item>PersistentVolumeClaim: Bound. Service of type LoadBalancer: an ingress address. Namespace: Active.</item>
/// <item>CustomResourceDefinition: Established; NamesAccepted=False is Degraded.</item>
/// <item>Anything else: an unobserved <c>status.observedGeneration</c> progresses, then Stalled/Reconciling/Ready
/// conditions decide; without them the object is Healthy.</item>
/// </list>
/// </remarks>
public static class HealthAssessor
{
    /// <summary>Assesses <paramref name="live"/>, the object as read from the cluster (null when it does not exist).</summary>
    public static HealthAssessment Assess(JsonObject? live)
    {
        if (live is null)
        {
            return new HealthAssessment(HealthStatus.Missing, "Object does not exist");
        }

        var obj = new LiveObject(live);
        if (obj.Kind.Length == 0)
        {
            return HealthAssessment.Unknown("Object has no kind");
        }

        if (obj.IsBeingDeleted)
        {
            return HealthAssessment.Progressing("Object is being deleted");
        }

        return (obj.Group, obj.Kind) switch
        {
            ("apps" or "extensions", "Deployment") => DeploymentHealth.Assess(obj),
            ("apps", "StatefulSet") => StatefulSetHealth.Assess(obj),
            ("apps" or "extensions", "DaemonSet") => DaemonSetHealth.Assess(obj),
            ("apps" or "extensions", "ReplicaSet") => ReplicaSetHealth.Assess(obj),
            ("", "Pod") => PodHealth.Assess(obj),
            ("batch", "Job") => JobHealth.Assess(obj),
            ("", "PersistentVolumeClaim") => PersistentVolumeClaimHealth.Assess(obj),
            ("", "Service") => ServiceHealth.Assess(obj),
            ("apiextensions.k8s.io", "CustomResourceDefinition") => CustomResourceDefinitionHealth.Assess(obj),
            ("", "Namespace") => NamespaceHealth.Assess(obj),
            _ => GenericHealth.Assess(obj),
        };
    }
}
