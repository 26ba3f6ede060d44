namespace Flotilla.Core.Rollout;

/// <summary>A gate before or after a stage. <see cref="Duration"/> is only for <see cref="GateKind.TimedWait"/>.</summary>
public sealed record RolloutGate(GateKind Kind, TimeSpan Duration = default)
{
    /// <summary>A gate that waits for <c>flotilla rollout approve</c>.</summary>
    public static RolloutGate Approval { get; } = new(GateKind.Approval);

    /// <summary>A gate that waits <paramref name="duration"/> from the moment it is reached.</summary>
    public static RolloutGate Wait(TimeSpan duration) => new(GateKind.TimedWait, duration);

    /// <summary>The stable id an approval names: <c>stage/before/0</c>, <c>stage/after/1</c>.</summary>
    public static string Id(string stage, RolloutStep step, int index) =>
        $"{stage}/{(step == RolloutStep.After ? "after" : "before")}/{index}";
}
