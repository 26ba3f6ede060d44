namespace Flotilla.Core.Rollout;

/// <summary>The kinds of gate before or after a stage.</summary>
public enum GateKind
{
    /// <summary>Passes once an approval of this gate for the run's revision is recorded (<c>flotilla rollout approve</c>).</summary>
    Approval,

    /// <summary>Passes once <see cref="RolloutGate.Duration"/> has elapsed since the gate was reached.</summary>
    TimedWait,
}
