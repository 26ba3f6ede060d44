namespace Flotilla.Core.Health;

/// <summary>The result of assessing one live object.</summary>
/// <param name="Status">The health.</param>
/// <param name="Message">Why, in one line for people; empty when there is nothing to add.</param>
public sealed record HealthAssessment(HealthStatus Status, string Message)
{
    internal static HealthAssessment Healthy(string message = "") => new(HealthStatus.Healthy, message);

    internal static HealthAssessment Progressing(string message) => new(HealthStatus.Progressing, message);

    internal static HealthAssessment Degraded(string message) => new(HealthStatus.Degraded, message);

    internal static HealthAssessment Unknown(string message) => new(HealthStatus.Unknown, message);

    /// <summary><c>Status</c> or <c>Status: message</c>.</summary>
    public override string ToString() => Message.Length == 0 ? Status.ToString() : $"{Status}: {Message}";
}
