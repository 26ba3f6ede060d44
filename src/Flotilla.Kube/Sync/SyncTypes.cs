using Flotilla.Core.Health;
using Flotilla.Core.Manifests;

namespace Flotilla.Kube.Sync;

/// <summary>What to do about a change to a managed field made by someone else.</summary>
public enum DriftMode { Correct, Warn, Ignore }

/// <summary>Where one cluster stands for one bundle.</summary>
public enum SyncPhase { Synced, OutOfSync, Failed, Unreachable, Pending }

/// <summary>How a bundle syncs (from its spec.sync).</summary>
public sealed record SyncPolicy(bool Prune = true, DriftMode Drift = DriftMode.Correct, bool Force = false, bool AllowEmpty = false, string? TargetNamespace = null);

/// <summary>One sync of one bundle's rendered objects at one revision to one cluster.</summary>
public sealed record SyncRequest(string BundleNamespace, string BundleName, string Revision, ManifestSet Desired, SyncPolicy Policy)
{
    /// <summary>Objects not to correct now (a fight is in progress); their drift is only reported.</summary>
    public Func<ObjectRef, bool> Held { get; init; } = _ => false;

    /// <summary>Value of the ownership label: <c>namespace.name</c> of the bundle.</summary>
    public string Owner => $"{BundleNamespace}.{BundleName}";
}

/// <summary>A managed field someone else changed; <see cref="Manager"/> is who, when managedFields tell.</summary>
public sealed record DriftRecord(ObjectRef Object, string Field, string? Manager, bool Corrected, bool Fight = false);

/// <summary>The compact outcome of a sync, as it goes into the bundle's per-cluster status.</summary>
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
    public static SyncResult Failure(SyncPhase phase, string? appliedRevision, string error) =>
        new(phase, appliedRevision, 0, 0, 0, HealthStatus.Unknown, error, []);
}
