using System.Text.Json.Nodes;

namespace Flotilla.Core.Health;

/// <summary>Pod rules (gitops-engine): phase, then containers stuck in a failing waiting state, then readiness.</summary>
internal static class PodHealth
{
    // Waiting reasons that do not resolve on their own; anything ending in "BackOff" counts too.
    private static readonly HashSet<string> FailingWaitingReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "ErrImageNeverPull",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
        "RunContainerError",
        "PreCreateHookError",
        "PostStartHookError",
    };

    public static HealthAssessment Assess(LiveObject pod)
    {
        var phase = pod.String("status", "phase");
        switch (phase)
        {
            case "Succeeded":
                return HealthAssessment.Healthy("Pod completed");
            case "Failed":
                return HealthAssessment.Degraded(Describe(pod, "Pod failed"));
            case "Unknown":
                return HealthAssessment.Unknown(Describe(pod, "Pod phase is Unknown"));
        }

        if (FindFailingContainer(pod) is { } failing)
        {
            return HealthAssessment.Degraded(failing);
        }

        return phase switch
        {
            null => HealthAssessment.Progressing("Pod has no phase yet"),
            "Pending" => HealthAssessment.Progressing(Describe(pod, "Pod is pending")),
            "Running" when (pod.String("spec", "restartPolicy") ?? "Always") != "Always" =>
                HealthAssessment.Progressing("Pod is running to completion"),
            "Running" => pod.Condition("Ready") is { IsTrue: true }
                ? HealthAssessment.Healthy("Pod is running and ready")
                : HealthAssessment.Progressing("Pod is running but not ready"),
            _ => HealthAssessment.Unknown($"Unrecognised pod phase \"{phase}\""),
        };
    }

    private static string? FindFailingContainer(LiveObject pod)
    {
        foreach (var field in (ReadOnlySpan<string>)["initContainerStatuses", "containerStatuses"])
        {
            if (pod.Array("status", field) is not { } statuses)
            {
                continue;
            }

            foreach (var status in statuses)
            {
                if (status is not JsonObject container || container["state"] is not JsonObject state
                    || state["waiting"] is not JsonObject waiting)
                {
                    continue;
                }

                var reason = LiveObject.AsString(waiting["reason"]);
                if (reason is not null && (FailingWaitingReasons.Contains(reason) || reason.EndsWith("BackOff", StringComparison.Ordinal)))
                {
                    var name = LiveObject.AsString(container["name"]) ?? "?";
                    var message = LiveObject.AsString(waiting["message"]);
                    return message is null ? $"Container {name}: {reason}" : $"Container {name}: {reason}: {message}";
                }
            }
        }

        return null;
    }

    private static string Describe(LiveObject pod, string fallback)
    {
        var reason = pod.String("status", "reason");
        var message = pod.String("status", "message");
        return (reason, message) switch
        {
            (null, null) => fallback,
            (null, { } m) => m,
            ({ } r, null) => $"{fallback}: {r}",
            ({ } r, { } m) => $"{r}: {m}",
        };
    }
}
