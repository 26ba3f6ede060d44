using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>One sync of one bundle's rendered objects at one revision to one cluster.</summary>
public sealed record SyncRequest(string BundleNamespace, string BundleName, string Revision, ManifestSet Desired, SyncPolicy Policy)
{
    /// <summary>Objects not to correct now (a fight is in progress); their drift is only reported.</summary>
    public Func<ObjectRef, bool> Held { get; init; } = _ => false;

    /// <summary>
    /// The revision the hub last saw this member apply (its last report), when it has seen one. It is what a failed
    /// run reports as applied: the member's record names the revision of its last change (<see cref="StoredInventory"/>),
    /// which a commit that only updates objects does not write.
    /// </summary>
    public string? AppliedRevision { get; init; }

    // The names are read-only (no copy `with` other names), so the two values made from them below cannot go stale:
    // a sync reads them for every object, and formatting them on each read was per-object work.
    public string BundleNamespace { get; } = BundleNamespace;

    public string BundleName { get; } = BundleName;

    /// <summary>Value of the ownership label (<see cref="OwnershipLabels.ValueFor"/>).</summary>
    public string Owner { get; } = OwnershipLabels.ValueFor(BundleNamespace, BundleName);

    /// <summary><c>namespace/name</c> of the bundle.</summary>
    public string BundleKey { get; } = $"{BundleNamespace}/{BundleName}";
}

/// <summary>A managed field someone else changed; <see cref="Manager"/> is who, when managedFields tell.</summary>
public sealed record DriftRecord(ObjectRef Object, string Field, string? Manager, bool Corrected, bool Fight = false);

/// <summary>
/// The compact outcome of a sync, as it goes into the bundle's per-cluster status. <see cref="Stage"/> and
/// <see cref="PartialRevision"/>: where a failed sync stopped and which revision is partly applied.
/// <see cref="Warnings"/>: what was adjusted on the way (a namespace cleared, an apply fallback).
/// </summary>
public sealed record SyncResult(
    SyncPhase Phase,
    string? AppliedRevision,
    int Objects,
    int Written,
    int Pruned,
    HealthStatus Health,
    string? Error,
    IReadOnlyList<DriftRecord> Drift)
{
    public string? HealthMessage { get; init; }
    public string? Stage { get; init; }
    public string? PartialRevision { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static SyncResult Failure(SyncPhase phase, string? appliedRevision, string error) =>
        new(phase, appliedRevision, 0, 0, 0, HealthStatus.Unknown, error, []);
}
