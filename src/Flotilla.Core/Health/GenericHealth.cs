namespace Flotilla.Core.Health;

/// <summary>
/// Rules for any other kind (kstatus conventions): an unobserved generation progresses,
/// <c>Stalled=True</c> degrades, <c>Reconciling=True</c> progresses, and a <c>Ready</c> condition
/// decides. Without any of these the object is healthy (ConfigMaps, Secrets, RBAC, …).
/// </summary>
internal static class GenericHealth
{
    // Ready=False with one of these reasons means "not yet", not "failed"; matched on the machine-readable
    // reason, as controllers publish it, never on message text.
    private static readonly HashSet<string> ProgressReasons = new(StringComparer.Ordinal)
    {
        "Progressing",
        "Reconciling",
        "InProgress",
        "Pending",
        "Provisioning",
        "Creating",
        "Updating",
        "Issuing",
        "DependencyNotReady",
    };

    public static HealthAssessment Assess(LiveObject live)
    {
        if (live.IsGenerationUnobserved)
        {
            return HealthAssessment.Progressing(
                $"Waiting for the controller to observe generation {live.Generation} (observed {live.ObservedGeneration})");
        }

        if (live.Condition("Stalled") is { IsTrue: true } stalled)
        {
            return HealthAssessment.Degraded($"Stalled: {stalled.Describe()}");
        }

        if (live.Condition("Reconciling") is { IsTrue: true } reconciling)
        {
            return HealthAssessment.Progressing($"Reconciling: {reconciling.Describe()}");
        }

        if (live.Condition("Ready") is not { } ready)
        {
            return HealthAssessment.Healthy();
        }

        if (ready.ObservedGeneration is { } conditionGeneration && live.Generation is { } generation
            && conditionGeneration < generation)
        {
            return HealthAssessment.Progressing($"Ready condition is from generation {conditionGeneration}, current is {generation}");
        }

        return ready switch
        {
            { IsTrue: true } => HealthAssessment.Healthy(ready.Describe()),
            { IsFalse: true } when ProgressReasons.Contains(ready.Reason) =>
                HealthAssessment.Progressing($"Not ready: {ready.Describe()}"),
            { IsFalse: true } => HealthAssessment.Degraded($"Not ready: {ready.Describe()}"),
            _ => HealthAssessment.Progressing($"Readiness unknown: {ready.Describe()}"),
        };
    }
}
