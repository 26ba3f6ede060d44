namespace Flotilla.Core.Health;

/// <summary>PersistentVolumeClaim rules: Bound is healthy, Pending progresses, Lost is degraded.</summary>
internal static class PersistentVolumeClaimHealth
{
    public static HealthAssessment Assess(LiveObject claim) =>
        claim.String("status", "phase") switch
        {
            "Bound" => HealthAssessment.Healthy("Claim is bound"),
            "Pending" or null => HealthAssessment.Progressing("Waiting for the claim to be bound"),
            "Lost" => HealthAssessment.Degraded("The claim's volume is lost"),
            var phase => HealthAssessment.Unknown($"Unrecognised claim phase \"{phase}\""),
        };
}
