using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The stage and rank of every kind. Built-in kinds are matched on (group, kind); anything not
/// listed (custom resources) goes to <see cref="ApplyStageKind.Resources"/> after all listed kinds.
/// The order within Resources follows Helm's install order, adapted.
/// </summary>
internal static class KindOrder
{
    private const string Core = WellKnownKinds.Core;
    private const string Apps = WellKnownKinds.Apps;
    private const string Batch = WellKnownKinds.Batch;
    private const string Rbac = WellKnownKinds.Rbac;
    private const string Networking = "networking.k8s.io";

    private static readonly (string Group, string Kind)[] ClusterDefinitions =
    [
        (WellKnownKinds.ApiExtensions, "CustomResourceDefinition"),
        (Core, "Namespace"),
        ("policy", "PodSecurityPolicy"),
        (Rbac, "ClusterRole"),
        (Rbac, "ClusterRoleBinding"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("node.k8s.io", "RuntimeClass"),
        (Networking, "IngressClass"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ];

    private static readonly (string Group, string Kind)[] Resources =
    [
        (Networking, "NetworkPolicy"),
        ("extensions", "NetworkPolicy"),
        (Core, "ResourceQuota"),
        (Core, "LimitRange"),
        ("policy", "PodDisruptionBudget"),
        (Core, "ServiceAccount"),
        (Rbac, "Role"),
        (Rbac, "RoleBinding"),
        (Core, "ConfigMap"),
        (Core, "Secret"),
        (Core, "PersistentVolume"),
        (Core, "PersistentVolumeClaim"),
        (Core, "Service"),
        (Core, "Endpoints"),
        ("discovery.k8s.io", "EndpointSlice"),
        (Apps, "DaemonSet"),
        ("extensions", "DaemonSet"),
        (Core, "Pod"),
        (Core, "ReplicationController"),
        (Apps, "ReplicaSet"),
        ("extensions", "ReplicaSet"),
        (Apps, "Deployment"),
        ("extensions", "Deployment"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        (Apps, "StatefulSet"),
        (Batch, "Job"),
        (Batch, "CronJob"),
        (Networking, "Ingress"),
        ("extensions", "Ingress"),
    ];

    private static readonly (string Group, string Kind)[] Webhooks =
    [
        (WellKnownKinds.AdmissionRegistration, "MutatingWebhookConfiguration"),
        (WellKnownKinds.AdmissionRegistration, "ValidatingWebhookConfiguration"),
        (WellKnownKinds.AdmissionRegistration, "ValidatingAdmissionPolicy"),
        (WellKnownKinds.AdmissionRegistration, "ValidatingAdmissionPolicyBinding"),
        (WellKnownKinds.ApiRegistration, "APIService"),
    ];

    private static readonly Dictionary<(string Group, string Kind), (ApplyStageKind Stage, int Rank)> Table = Build();

    /// <summary>Stage and rank within the stage; unknown kinds rank after every listed kind.</summary>
    public static (ApplyStageKind Stage, int Rank) Of(ObjectRef reference) => reference.KindOrder;

    /// <summary>The table's answer for a group and kind (what <see cref="ObjectRef"/> keeps once asked).</summary>
    internal static (ApplyStageKind Stage, int Rank) Lookup(string group, string kind) =>
        Table.TryGetValue((group, kind), out var entry) ? entry : (ApplyStageKind.Resources, int.MaxValue);

    private static Dictionary<(string Group, string Kind), (ApplyStageKind Stage, int Rank)> Build()
    {
        var table = new Dictionary<(string Group, string Kind), (ApplyStageKind Stage, int Rank)>();
        Add(table, ApplyStageKind.ClusterDefinitions, ClusterDefinitions);
        Add(table, ApplyStageKind.Resources, Resources);
        Add(table, ApplyStageKind.Webhooks, Webhooks);
        return table;
    }

    private static void Add(
        Dictionary<(string Group, string Kind), (ApplyStageKind Stage, int Rank)> table,
        ApplyStageKind stage,
        (string Group, string Kind)[] kinds)
    {
        for (var i = 0; i < kinds.Length; i++)
        {
            table.Add(kinds[i], (stage, i));
        }
    }
}
