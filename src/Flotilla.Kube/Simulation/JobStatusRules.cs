using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Flotilla.Kube.Simulation;

/// <summary>
/// What the job controller (and the pods behind it) would write for a Job on the local fleet, which has no nodes: it
/// completed — <c>succeeded</c> = <c>spec.completions</c> (default 1) and a <c>Complete</c> condition — or, with
/// <c>flotilla.io/simulate: fail</c>, it failed — <c>failed</c> = <c>spec.backoffLimit</c> + 1 (default 6 + 1) and a
/// <c>Failed</c> condition (BackoffLimitExceeded). A Job that already finished either way is left alone, as a
/// finished Job is never run again (Helm hooks are recreated instead).
/// </summary>
public static class JobStatusRules
{
    private const string Note = " (simulated by flotilla: the local fleet has no nodes)";

    public static WorkloadStatusPlan Plan(V1Job job, DateTimeOffset now)
    {
        var meta = job.Metadata;
        var outcome = WorkloadStatusRules.OutcomeOf(meta);
        string? patch = null;
        if (!Finished(job.Status))
        {
            var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var ready = outcome == SimulatedOutcome.Ready;
            var status = new JsonObject { ["startTime"] = job.Status?.StartTime is { } started ? started.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : time, ["active"] = 0 };
            if (ready)
            {
                status["succeeded"] = job.Spec?.Completions ?? 1;
                status["completionTime"] = time;
            }
            else status["failed"] = (job.Spec?.BackoffLimit ?? 6) + 1;
            var condition = new JsonObject { ["type"] = ready ? "Complete" : "Failed", ["status"] = "True" };
            if (!ready) condition["reason"] = "BackoffLimitExceeded";
            condition["message"] = (ready ? "Job completed" : "Job has reached the specified backoff limit") + Note;
            condition["lastProbeTime"] = time;
            condition["lastTransitionTime"] = time;
            status["conditions"] = new JsonArray(condition);
            var body = new JsonObject();
            if (meta.ResourceVersion is { Length: > 0 } version) body["metadata"] = new JsonObject { ["resourceVersion"] = version };
            body["status"] = status;
            patch = body.ToJsonString();
        }
        return new WorkloadStatusPlan(WorkloadKind.Job, meta.NamespaceProperty, meta.Name, meta.Uid, meta.Generation ?? 1, outcome, patch);
    }

    private static bool Finished(V1JobStatus? status) =>
        status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;
}
