namespace Flotilla.Core.Manifests;

/// <summary>
/// Facts about built-in kinds that do not need discovery. Keyed by (group, kind) so a custom
/// resource that happens to be called <c>Namespace</c> in another group is not mistaken for one.
/// </summary>
internal static class WellKnownKinds
{
    public const string Core = "";
    public const string Apps = "apps";
    public const string Batch = "batch";
    public const string Rbac = "rbac.authorization.k8s.io";
    public const string ApiExtensions = "apiextensions.k8s.io";
    public const string AdmissionRegistration = "admissionregistration.k8s.io";
    public const string ApiRegistration = "apiregistration.k8s.io";

    private static readonly HashSet<(string Group, string Kind)> ClusterScoped =
    [
        (Core, "Namespace"),
        (Core, "Node"),
        (Core, "PersistentVolume"),
        (ApiExtensions, "CustomResourceDefinition"),
        (Rbac, "ClusterRole"),
        (Rbac, "ClusterRoleBinding"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("node.k8s.io", "RuntimeClass"),
        ("networking.k8s.io", "IngressClass"),
        ("policy", "PodSecurityPolicy"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        (AdmissionRegistration, "MutatingWebhookConfiguration"),
        (AdmissionRegistration, "ValidatingWebhookConfiguration"),
        (AdmissionRegistration, "ValidatingAdmissionPolicy"),
        (AdmissionRegistration, "ValidatingAdmissionPolicyBinding"),
        (ApiRegistration, "APIService"),
    ];

    /// <summary>True for built-in kinds known to be cluster-scoped; false for namespaced and unknown kinds.</summary>
    public static bool IsClusterScoped(string group, string kind) => ClusterScoped.Contains((group, kind));

    /// <summary>True for kinds whose names follow path-segment rules instead of DNS rules (RBAC).</summary>
    public static bool UsesPathSegmentNames(string group, string kind) =>
        group == Rbac && kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding";

    /// <summary>True for kinds whose names must be DNS labels (not subdomains).</summary>
    public static bool UsesDnsLabelNames(string group, string kind) =>
        group == Core && kind is "Namespace" or "Service";
}
