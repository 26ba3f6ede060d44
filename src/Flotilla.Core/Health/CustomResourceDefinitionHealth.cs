namespace Flotilla.Core.Health;

/// <summary>CustomResourceDefinition rules: rejected names degrade; Established is healthy.</summary>
internal static class CustomResourceDefinitionHealth
{
    public static HealthAssessment Assess(LiveObject definition)
    {
        if (definition.Condition("NamesAccepted") is { IsFalse: true } names)
        {
            return HealthAssessment.Degraded($"Names not accepted: {names.Describe()}");
        }

        return definition.Condition("Established") is { IsTrue: true }
            ? HealthAssessment.Healthy("Established")
            : HealthAssessment.Progressing("Waiting for the definition to be established");
    }
}
