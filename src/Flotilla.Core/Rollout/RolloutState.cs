using System.Collections.Immutable;
using System.Text.Json;

namespace Flotilla.Core.Rollout;

/// <summary>
/// The run's memory, stored by the hub in <c>Bundle.status.rollout</c> so a restarted hub resumes where it was: the
/// revision being rolled out, the last fully healthy one, where the run stands (stage, step, gate), the clusters in flight
/// and the failures, approvals, and the pause/halt/rollback marks. Everything else is derived from the members each plan.
/// Its size grows with the clusters in flight and the failures, never with the fleet.
/// </summary>
public sealed record RolloutState
{
    /// <summary>The format version written in <see cref="Version"/>; <see cref="Parse"/> refuses others.</summary>
    public const int CurrentVersion = 1;

    /// <summary>A bundle that never rolled out.</summary>
    public static RolloutState Empty { get; } = new();

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The revision this run moves clusters to; null before the first run.</summary>
    public string? Revision { get; init; }

    /// <summary>The newest revision whose run completed within its failure budget: where rollback goes.</summary>
    public string? LastHealthyRevision { get; init; }

    /// <summary>The index of the current stage; the stage count once the run completed.</summary>
    public int Stage { get; init; }

    public RolloutStep Step { get; init; }

    /// <summary>The index of the gate being passed within <see cref="Step"/>.</summary>
    public int Gate { get; init; }

    /// <summary>When the current step or gate was reached (timed waits count from here).</summary>
    public DateTimeOffset? StepSince { get; init; }

    /// <summary>Paused by command; kept across a newer commit (a pause is the user's, not the run's).</summary>
    public bool Paused { get; init; }

    /// <summary>Why the run stopped on a failure (onFailure Pause), or null.</summary>
    public string? Halted { get; init; }

    /// <summary>Why the run was rolled back, or null. Stays until a newer revision starts a new run.</summary>
    public string? RolledBack { get; init; }

    public ImmutableArray<StageSummary> Stages { get; init; } = [];

    /// <summary>In-flight and failed clusters, ordinal by name.</summary>
    public ImmutableArray<ClusterRecord> Clusters { get; init; } = [];

    /// <summary>Approved gate ids (<see cref="RolloutGate.Id"/>) of this run, ordinal.</summary>
    public ImmutableArray<string> Approvals { get; init; } = [];

    /// <summary>The compact JSON form for the Bundle status.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RolloutStateJsonContext.Default.RolloutState);

    /// <summary>Reads <see cref="ToJson"/>'s form strictly: unknown fields or another version are a <see cref="FormatException"/>.</summary>
    public static RolloutState Parse(string json)
    {
        RolloutState? state;
        try
        {
            state = JsonSerializer.Deserialize(json, RolloutStateJsonContext.Default.RolloutState);
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid rollout state: {e.Message}", e);
        }
        if (state is null) throw new FormatException("invalid rollout state: null");
        if (state.Version != CurrentVersion) throw new FormatException($"rollout state version {state.Version} is not {CurrentVersion}");
        return state;
    }

    /// <summary>
    /// <see cref="Parse"/>, or null for no state or one that does not read (another version's, or edited by hand): readers
    /// then show nothing, and the planner starts a new run, which asks every gate again, rather than act on a wrong one.
    /// </summary>
    public static RolloutState? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return Parse(json); }
        catch (FormatException) { return null; }
    }

    public bool Equals(RolloutState? other) =>
        other is not null && Version == other.Version && Revision == other.Revision && LastHealthyRevision == other.LastHealthyRevision
        && Stage == other.Stage && Step == other.Step && Gate == other.Gate && StepSince == other.StepSince && Paused == other.Paused
        && Halted == other.Halted && RolledBack == other.RolledBack && Stages.SequenceEqual(other.Stages)
        && Clusters.SequenceEqual(other.Clusters) && Approvals.SequenceEqual(other.Approvals);

    public override int GetHashCode() => HashCode.Combine(Revision, Stage, Step, Gate, Clusters.Length, Approvals.Length);
}
