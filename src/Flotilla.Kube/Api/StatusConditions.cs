namespace Flotilla.Kube.Api;

/// <summary>Builds wire conditions that keep their transition time while their status stays the same.</summary>
public static class StatusConditions
{
    public static StatusCondition Next(IEnumerable<StatusCondition>? previous, string type, string status, string reason, string message,
        DateTimeOffset now, long? generation, int maxMessage = 1024)
    {
        var old = previous?.FirstOrDefault(c => c.Type == type);
        return new StatusCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message.Length > maxMessage ? message[..(maxMessage - 1)] + "…" : message,
            LastTransitionTime = old?.Status == status ? old.LastTransitionTime : now,
            ObservedGeneration = generation,
        };
    }
}
