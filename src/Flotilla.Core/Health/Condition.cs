namespace Flotilla.Core.Health;

/// <summary>One entry of <c>status.conditions</c>. <see cref="Status"/> is "True", "False" or "Unknown" as written;
/// <see cref="ObservedGeneration"/> is the condition's own (metav1.Condition) when set.</summary>
internal sealed record Condition(string Type, string Status, string Reason, string Message, long? ObservedGeneration)
{
    public bool IsTrue => Status == "True";

    public bool IsFalse => Status == "False";

    /// <summary><c>reason: message</c>, or whichever of the two is present.</summary>
    public string Describe() =>
        (Reason.Length, Message.Length) switch
        {
            (0, 0) => $"{Type}={Status}",
            (0, _) => Message,
            (_, 0) => Reason,
            _ => $"{Reason}: {Message}",
        };
}
