using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Simulation;

/// <summary>
/// The pure rules of the workload status simulator: the status a controller would report for a fully rolled-out
/// workload (or, with <c>flotilla.io/simulate: fail</c>, a failing one) on a cluster of
/// <see cref="SimulatedNodeCount"/> node, and whether the status already says so. Only fields a v1.20 API server
/// stores are written and compared, so every write sticks and a steady state needs no writes. Messages, and the
/// timestamps of Deployment conditions, are not compared.
/// </summary>
public static class WorkloadStatusRules
{
    /// <summary>The annotation that selects the outcome; only the value <see cref="FailValue"/> has an effect.</summary>
    public const string SimulateAnnotation = "flotilla.io/simulate";

    /// <summary>The <see cref="SimulateAnnotation"/> value that makes the simulated rollout fail.</summary>
    public const string FailValue = "fail";

    /// <summary>How many nodes a DaemonSet is scheduled on.</summary>
    public const int SimulatedNodeCount = 1;

    private const string Note = " (simulated by flotilla: the local fleet has no nodes)";

    public static SimulatedOutcome OutcomeOf(V1ObjectMeta metadata) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(SimulateAnnotation, out var value) && value == FailValue
            ? SimulatedOutcome.Failing
            : SimulatedOutcome.Ready;

    /// <summary>
    /// Ready: every replica updated, ready and available, Available=True (MinimumReplicasAvailable) and
    /// Progressing=True (NewReplicaSetAvailable). Failing: replicas created but none ready, Available=False and
    /// Progressing=False (ProgressDeadlineExceeded). <c>spec.replicas</c> defaults to 1.
    /// </summary>
    public static WorkloadStatusPlan Plan(V1Deployment deployment, DateTimeOffset now)
    {
        var meta = deployment.Metadata;
        var outcome = OutcomeOf(meta);
        var generation = meta.Generation ?? 1;
        var replicas = deployment.Spec?.Replicas ?? 1;
        var ready = outcome == SimulatedOutcome.Ready;
        var available = ready ? new ConditionFacts("True", "MinimumReplicasAvailable") : new("False", "MinimumReplicasUnavailable");
        var progressing = ready ? new ConditionFacts("True", "NewReplicaSetAvailable") : new("False", "ProgressDeadlineExceeded");
        var want = new DeploymentFacts(generation, replicas, replicas, ready ? replicas : 0, ready ? replicas : 0, ready ? 0 : replicas,
            available, progressing);
        var status = deployment.Status;
        var have = new DeploymentFacts(status?.ObservedGeneration ?? 0, status?.Replicas ?? 0, status?.UpdatedReplicas ?? 0,
            status?.ReadyReplicas ?? 0, status?.AvailableReplicas ?? 0, status?.UnavailableReplicas ?? 0,
            ConditionFacts.Of(status?.Conditions, "Available"), ConditionFacts.Of(status?.Conditions, "Progressing"));
        string? patch = null;
        if (want != have)
        {
            var name = meta.Name;
            patch = Patch(meta, new JsonObject
            {
                ["observedGeneration"] = want.ObservedGeneration,
                ["replicas"] = want.Replicas,
                ["updatedReplicas"] = want.UpdatedReplicas,
                ["readyReplicas"] = want.ReadyReplicas,
                ["availableReplicas"] = want.AvailableReplicas,
                ["unavailableReplicas"] = want.UnavailableReplicas,
                ["conditions"] = new JsonArray(
                    Condition("Available", available,
                        ready ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", status?.Conditions, now),
                    Condition("Progressing", progressing,
                        ready ? $"Deployment \"{name}\" has successfully progressed." : $"Deployment \"{name}\" has timed out progressing.",
                        status?.Conditions, now)),
            });
        }
        return new(WorkloadKind.Deployment, meta.NamespaceProperty, meta.Name, meta.Uid, generation, outcome, patch);
    }

    /// <summary>
    /// Ready: replicas, readyReplicas, currentReplicas and updatedReplicas equal <c>spec.replicas</c> (default 1) and
    /// currentRevision equals updateRevision (<c>name-hash of the pod template</c>, as a ControllerRevision is named).
    /// Failing: the same with readyReplicas 0.
    /// </summary>
    public static WorkloadStatusPlan Plan(V1StatefulSet statefulSet)
    {
        var meta = statefulSet.Metadata;
        var outcome = OutcomeOf(meta);
        var generation = meta.Generation ?? 1;
        var replicas = statefulSet.Spec?.Replicas ?? 1;
        var revision = $"{meta.Name}-{TemplateHash(statefulSet.Spec?.Template)}";
        var want = new StatefulSetFacts(generation, replicas, outcome == SimulatedOutcome.Ready ? replicas : 0, replicas, replicas, revision, revision);
        var status = statefulSet.Status;
        var have = new StatefulSetFacts(status?.ObservedGeneration ?? 0, status?.Replicas ?? 0, status?.ReadyReplicas ?? 0,
            status?.CurrentReplicas ?? 0, status?.UpdatedReplicas ?? 0, status?.CurrentRevision, status?.UpdateRevision);
        var patch = want == have ? null : Patch(meta, new JsonObject
        {
            ["observedGeneration"] = want.ObservedGeneration,
            ["replicas"] = want.Replicas,
            ["readyReplicas"] = want.ReadyReplicas,
            ["currentReplicas"] = want.CurrentReplicas,
            ["updatedReplicas"] = want.UpdatedReplicas,
            ["currentRevision"] = want.CurrentRevision,
            ["updateRevision"] = want.UpdateRevision,
        });
        return new(WorkloadKind.StatefulSet, meta.NamespaceProperty, meta.Name, meta.Uid, generation, outcome, patch);
    }

    /// <summary>
    /// Ready: desired, current, updated, ready and available all <see cref="SimulatedNodeCount"/>. Failing: scheduled
    /// and updated on every node but numberReady and numberAvailable 0.
    /// </summary>
    public static WorkloadStatusPlan Plan(V1DaemonSet daemonSet)
    {
        var meta = daemonSet.Metadata;
        var outcome = OutcomeOf(meta);
        var generation = meta.Generation ?? 1;
        var nodes = SimulatedNodeCount;
        var ready = outcome == SimulatedOutcome.Ready ? nodes : 0;
        var want = new DaemonSetFacts(generation, nodes, nodes, nodes, ready, ready, nodes - ready, 0);
        var status = daemonSet.Status;
        var have = new DaemonSetFacts(status?.ObservedGeneration ?? 0, status?.DesiredNumberScheduled ?? 0, status?.CurrentNumberScheduled ?? 0,
            status?.UpdatedNumberScheduled ?? 0, status?.NumberReady ?? 0, status?.NumberAvailable ?? 0, status?.NumberUnavailable ?? 0,
            status?.NumberMisscheduled ?? 0);
        var patch = want == have ? null : Patch(meta, new JsonObject
        {
            ["observedGeneration"] = want.ObservedGeneration,
            ["desiredNumberScheduled"] = want.Desired,
            ["currentNumberScheduled"] = want.Current,
            ["updatedNumberScheduled"] = want.Updated,
            ["numberReady"] = want.Ready,
            ["numberAvailable"] = want.Available,
            ["numberUnavailable"] = want.Unavailable,
            ["numberMisscheduled"] = want.Misscheduled,
        });
        return new(WorkloadKind.DaemonSet, meta.NamespaceProperty, meta.Name, meta.Uid, generation, outcome, patch);
    }

    // Pinning the resourceVersion makes the API server refuse (409) a status computed from an object that changed since.
    private static string Patch(V1ObjectMeta meta, JsonObject status)
    {
        var patch = new JsonObject();
        if (meta.ResourceVersion is { Length: > 0 } version) patch["metadata"] = new JsonObject { ["resourceVersion"] = version };
        patch["status"] = status;
        return patch.ToJsonString();
    }

    // A condition keeps its lastTransitionTime while its status stays the same, as controllers do.
    private static JsonObject Condition(string type, ConditionFacts facts, string message, IList<V1DeploymentCondition>? existing, DateTimeOffset now)
    {
        var previous = existing?.FirstOrDefault(c => c.Type == type);
        var transition = previous is { LastTransitionTime: { } t } && previous.Status == facts.Status ? Rfc3339(t) : Rfc3339(now.UtcDateTime);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = facts.Status,
            ["reason"] = facts.Reason,
            ["message"] = message + Note,
            ["lastUpdateTime"] = Rfc3339(now.UtcDateTime),
            ["lastTransitionTime"] = transition,
        };
    }

    // Kubernetes times are UTC; an unspecified kind is taken as UTC.
    private static string Rfc3339(DateTime time) =>
        (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string TemplateHash(V1PodTemplateSpec? template)
    {
        var json = template is null ? "" : KubernetesJson.Serialize(template);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 5));
    }

    private sealed record ConditionFacts(string? Status, string? Reason)
    {
        public static ConditionFacts? Of(IList<V1DeploymentCondition>? conditions, string type) =>
            conditions?.FirstOrDefault(c => c.Type == type) is { } c ? new(c.Status, c.Reason) : null;
    }

    private sealed record DeploymentFacts(long ObservedGeneration, int Replicas, int UpdatedReplicas, int ReadyReplicas,
        int AvailableReplicas, int UnavailableReplicas, ConditionFacts? Available, ConditionFacts? Progressing);

    private sealed record StatefulSetFacts(long ObservedGeneration, int Replicas, int ReadyReplicas, int CurrentReplicas,
        int UpdatedReplicas, string? CurrentRevision, string? UpdateRevision);

    private sealed record DaemonSetFacts(long ObservedGeneration, int Desired, int Current, int Updated, int Ready,
        int Available, int Unavailable, int Misscheduled);
}
