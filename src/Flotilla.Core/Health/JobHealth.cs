namespace Flotilla.Core.Health;

/// <summary>Job rules: Failed/FailureTarget degrade, Complete is healthy, anything else is still running.</summary>
internal static class JobHealth
{
    public static HealthAssessment Assess(LiveObject job)
    {
        if (job.Condition("Failed") is { IsTrue: true } failed)
        {
            return HealthAssessment.Degraded($"Job failed: {failed.Describe()}");
        }

        if (job.Condition("FailureTarget") is { IsTrue: true } failing)
        {
            return HealthAssessment.Degraded($"Job is failing: {failing.Describe()}");
        }

        if (job.Condition("Complete") is { IsTrue: true })
        {
            return HealthAssessment.Healthy("Job completed");
        }

        if (job.Condition("Suspended") is { IsTrue: true })
        {
            return HealthAssessment.Progressing("Job is suspended");
        }

        var active = job.Int64("status", "active") ?? 0;
        var succeeded = job.Int64("status", "succeeded") ?? 0;
        return HealthAssessment.Progressing($"Job is running: {active} active, {succeeded} succeeded");
    }
}
