using Flotilla.Core.Health;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Dependencies;

/// <summary>
/// What the hub knows about one bundle on one cluster, for the dependency gates: whether the bundle exists and can
/// move (<see cref="Exists"/>, <see cref="Suspended"/>, <see cref="Deleting"/>, <see cref="Problem"/>, and
/// <see cref="Decided"/>: this hub has reconciled it), what it wants there (<see cref="Placement"/>,
/// <see cref="WantedRevision"/>) and the cluster's last report (<see cref="Phase"/>, <see cref="AppliedRevision"/>,
/// <see cref="Health"/>; no phase: no report yet).
/// </summary>
public sealed record DependencyObservation
{
    /// <summary>A bundle the hub does not have.</summary>
    public static readonly DependencyObservation Missing = new() { Exists = false };

    public bool Exists { get; init; } = true;
    public bool Suspended { get; init; }
    public bool Deleting { get; init; }

    /// <summary>The reason of the bundle's own problem (RenderFailed, DependencyCycle …), when it has one.</summary>
    public string? Problem { get; init; }

    public bool Decided { get; init; } = true;
    public DependencyPlacement Placement { get; init; }

    /// <summary>The revision the bundle is to have on the cluster (null: its rollout leaves the cluster alone for now).</summary>
    public string? WantedRevision { get; init; }

    public SyncPhase? Phase { get; init; }
    public string? AppliedRevision { get; init; }
    public HealthStatus Health { get; init; } = HealthStatus.Unknown;
}
