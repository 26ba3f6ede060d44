namespace Flotilla.Kube.Simulation;

/// <summary>Timing of the workload status simulator. Validated when a simulator is created.</summary>
public sealed class WorkloadSimulatorOptions
{
    /// <summary>
    /// How long a new generation (or a changed <c>flotilla.io/simulate</c> annotation) waits before its status is
    /// written, as a rollout would take. Default 2 s; zero writes on the first pass that sees it.
    /// </summary>
    public TimeSpan ReadyDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between two passes over a member's workloads. Default 500 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest pause after passes in which no list call succeeded (member down): the pause doubles from
    /// <see cref="PollInterval"/> up to this. Default 30 s; at least <see cref="PollInterval"/>.
    /// </summary>
    public TimeSpan MaxErrorBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (ReadyDelay < TimeSpan.Zero) throw new ArgumentException("simulator ready delay must not be negative");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentException("simulator poll interval must be positive");
        if (MaxErrorBackoff < PollInterval) throw new ArgumentException("simulator error backoff must be at least the poll interval");
    }
}
