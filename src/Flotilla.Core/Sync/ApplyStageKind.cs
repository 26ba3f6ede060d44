namespace Flotilla.Core.Sync;

/// <summary>The stages of an apply, in the order they run. Each stage is applied before the next starts.</summary>
public enum ApplyStageKind
{
    /// <summary>
    /// CustomResourceDefinitions, Namespaces, cluster RBAC and cluster-level class definitions
    /// (PriorityClass, StorageClass, RuntimeClass, IngressClass, …). The applier waits for CRDs to be
    /// Established before the next stage, so custom resources in it can be applied.
    /// </summary>
    ClusterDefinitions = 1,

    /// <summary>Everything else, in a fixed kind order (ServiceAccounts, Roles, …, workloads), custom resources last.</summary>
    Resources = 2,

    /// <summary>
    /// Admission webhooks, admission policies and APIServices. Applied last so that a webhook whose
    /// backing Service is applied in the same change cannot block that change.
    /// </summary>
    Webhooks = 3,
}
