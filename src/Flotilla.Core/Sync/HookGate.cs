using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The health gates around Helm hook stages, as Argo CD runs PreSync and PostSync hooks, made level-triggered: a sync
/// goes past a hook stage only when every hook in it is healthy (a Job Complete), and applies post hooks only when
/// everything before them is healthy. Not healthy yet: wait (the sync is driven again when a status changes). A hook
/// that failed fails the sync with its name. A healthy hook with <c>hook-succeeded</c> (a failed one with
/// <c>hook-failed</c>) is deleted, and recorded with the content that ran so no later sync runs it again.
/// </summary>
public static class HookGate
{
    /// <summary>The gate after a hook stage was written: <paramref name="live"/> gives each hook as the server last answered.</summary>
    public static HookVerdict AfterHooks(IEnumerable<DesiredObject> hooks, Func<ObjectRef, JsonObject?> live, HookRecords records)
    {
        var deletions = new List<HookDeletion>();
        string? failed = null, waiting = null;
        foreach (var hook in hooks.OrderBy(h => h.Ref, ApplyOrder.Instance))
        {
            var found = live(hook.Ref);
            var policy = ChartHook.DeletePolicyOf(hook.Body);
            if (found is null && records.OutcomeOf(hook.Ref, hook.Hash) is { } ran)
            {
                if (ran == HookOutcome.Failed) failed ??= $"hook {Name(hook.Ref)} failed ({Ran(ran)})";
                continue;
            }
            var health = HealthAssessor.Assess(found);
            switch (health.Status)
            {
                case HealthStatus.Healthy:
                    if (policy.HasFlag(HookDeletePolicy.HookSucceeded)) deletions.Add(new(hook.Ref, hook.Hash, HookOutcome.Succeeded, found!));
                    break;
                case HealthStatus.Degraded:
                    failed ??= $"hook {Name(hook.Ref)} failed: {health.Message}";
                    if (policy.HasFlag(HookDeletePolicy.HookFailed)) deletions.Add(new(hook.Ref, hook.Hash, HookOutcome.Failed, found!));
                    break;
                case HealthStatus.Progressing or HealthStatus.Unknown or HealthStatus.Missing:
                    waiting ??= $"waiting for hook {Name(hook.Ref)}: {health.Message}";
                    break;
            }
        }
        if (failed is not null) return new(HookGateState.Fail, failed, deletions, HealthStatus.Degraded);
        return waiting is null ? new(HookGateState.Proceed, null, deletions) : new(HookGateState.Wait, waiting, deletions, HealthStatus.Progressing);
    }

    /// <summary>
    /// The gate before post hooks: every object applied before them (<paramref name="earlier"/>) must be healthy; a hook
    /// that ran and was deleted by its policy counts as healthy.
    /// </summary>
    public static HookVerdict BeforePostSync(IEnumerable<DesiredObject> earlier, Func<ObjectRef, JsonObject?> live, HookRecords records)
    {
        var worst = HealthAggregator.Worst(earlier
            .OrderBy(d => d.Ref, ApplyOrder.Instance)
            .Select(d => (Desired: d, Live: live(d.Ref)))
            .Where(d => d.Live is not null || records.OutcomeOf(d.Desired.Ref, d.Desired.Hash) != HookOutcome.Succeeded)
            .Select(d => (d.Desired.Ref, HealthAssessor.Assess(d.Live))));
        return worst.Status == HealthStatus.Healthy ? HookVerdict.Proceed
            : new(HookGateState.Wait, $"post-sync hooks wait for {worst.Message}", [], worst.Status);
    }

    /// <summary>Why a hook absent at its recorded content is expected to be absent (a planner detail, a status line).</summary>
    public static string Ran(HookOutcome outcome) => outcome switch
    {
        HookOutcome.Succeeded => "hook succeeded and was deleted (hook-succeeded); new content runs it again",
        HookOutcome.Failed => "hook failed and was deleted (hook-failed); new content runs it again",
    };

    /// <summary><c>Job ns/name</c>, as a person names it.</summary>
    public static string Name(ObjectRef reference) =>
        reference.Namespace.Length == 0 ? $"{reference.Kind} {reference.Name}" : $"{reference.Kind} {reference.Namespace}/{reference.Name}";
}
