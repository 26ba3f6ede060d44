namespace Flotilla.Core.Health;

/// <summary>Namespace rules: Active is healthy, Terminating progresses (towards deletion).</summary>
internal static class NamespaceHealth
{
    public static HealthAssessment Assess(LiveObject ns) =>
        ns.String("status", "phase") switch
        {
            "Active" or null => HealthAssessment.Healthy(),
            "Terminating" => HealthAssessment.Progressing("Namespace is terminating"),
            var phase => HealthAssessment.Unknown($"Unrecognised namespace phase \"{phase}\""),
        };
}
