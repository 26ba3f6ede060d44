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

    /// <summary>
    /// Helm <c>pre-install</c>/<c>pre-upgrade</c> hooks (Argo CD's PreSync), whatever their kind. The stages after it
    /// are applied only once every hook in it is healthy (a Job Complete); a failed hook fails the sync.
    /// </summary>
    PreSyncHooks = 2,

    /// <summary>Everything else, in a fixed kind order (ServiceAccounts, Roles, …, workloads), custom resources last.</summary>
    Resources = 3,

    /// <summary>
    /// Admission webhooks, admission policies and APIServices. Applied last so that a webhook whose
    /// backing Service is applied in the same change cannot block that change.
    /// </summary>
    Webhooks = 4,

    /// <summary>
    /// Helm <c>post-install</c>/<c>post-upgrade</c> hooks (Argo CD's PostSync), applied only once everything before
    /// them is healthy; the revision counts as applied once they are healthy too.
    /// </summary>
    PostSyncHooks = 5,
}
