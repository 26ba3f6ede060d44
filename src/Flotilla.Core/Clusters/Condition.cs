namespace Flotilla.Core.Clusters;

/// <summary>The three values of a Kubernetes condition status.</summary>
public enum ConditionStatus { True, False, Unknown }

/// <summary>A status condition in domain form; <see cref="LastTransitionTime"/> moves only when <see cref="Status"/> changes.</summary>
public sealed record Condition(string Type, ConditionStatus Status, string Reason, string Message, DateTimeOffset LastTransitionTime)
{
    /// <summary>
    /// This condition as it should be written when the previous one was <paramref name="previous"/>:
    /// the previous transition time is kept unless the status changed.
    /// </summary>
    public Condition Following(Condition? previous) =>
        previous is not null && previous.Status == Status ? this with { LastTransitionTime = previous.LastTransitionTime } : this;
}
