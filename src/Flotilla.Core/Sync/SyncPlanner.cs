using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The rules of a sync, in one pure place (the executor only does the I/O): compares desired objects with the
/// live ones and the stored inventory and returns a <see cref="ChangeSet"/>. A sync and <c>flotilla diff</c> both
/// run this planner, so a preview cannot disagree with what a sync does. See the folder README for the rules.
/// </summary>
public static class SyncPlanner
{
    /// <summary>Plans every stage and the prunes (when all desired kinds are already known to the cluster).</summary>
    public static ChangeSet Plan(SyncPlanInput input)
    {
        if (Refusal(input.Desired.Count, input.Inventory, input.Policy) is { } refusal) return new ChangeSet([], [], refusal);
        var stages = input.Desired
            .GroupBy(d => ApplyOrder.StageOf(d.Ref, d.Body))
            .OrderBy(g => g.Key)
            .Select(g => PlanStage(g.Key, g.ToList(), input))
            .ToList();
        return new ChangeSet(stages, PlanPrune(input.Inventory, input.Desired.Select(d => d.Ref), input.Live, input.Owner, input.Policy));
    }

    /// <summary>Why the sync must not run, or null: an empty render never prunes what was applied unless allowEmpty.</summary>
    public static string? Refusal(int desiredCount, Inventory inventory, SyncPolicy policy) =>
        desiredCount == 0 && inventory.Count > 0 && !policy.AllowEmpty
            ? $"the source rendered no objects; refusing to prune the {inventory.Count} applied ones (set spec.sync.allowEmpty to allow it)"
            : null;

    /// <summary>Plans one stage: each object's action, in apply order.</summary>
    public static StagePlan PlanStage(ApplyStageKind kind, IReadOnlyList<DesiredObject> desired, SyncPlanInput input) =>
        new(kind, desired
            .OrderBy(d => d.Ref, ApplyOrder.Instance)
            .Select(d => input.KnownUnchanged.Contains(d.Ref) && input.Live.ContainsKey(d.Ref)
                ? new PlannedChange(d.Ref, ChangeAction.Unchanged, d.Body, null)
                : !input.Live.ContainsKey(d.Ref) && input.Hooks.OutcomeOf(d.Ref, d.Hash) is { } ran
                    ? new PlannedChange(d.Ref, ChangeAction.Unchanged, d.Body, null, HookGate.Ran(ran))
                    : PlanObject(d, input.Live.GetValueOrDefault(d.Ref), input.Owner, input.Policy, input.Held(d.Ref)))
            .ToList());

    /// <summary>What to do with one desired object given its live copy (null: not among Flotilla's objects there).</summary>
    public static PlannedChange PlanObject(DesiredObject desired, JsonObject? live, string owner, SyncPolicy policy, bool held)
    {
        if (live is null) return new(desired.Ref, ChangeAction.Create, desired.Body, null, Force: policy.Force);
        var liveOwner = live["metadata"]?["labels"]?[OwnershipLabels.Bundle]?.GetValue<string>();
        if (liveOwner is not null && liveOwner != owner)
        {
            var name = live["metadata"]?["annotations"]?[OwnershipLabels.BundleName]?.GetValue<string>() ?? liveOwner;
            return new(desired.Ref, ChangeAction.OwnedByOtherBundle, desired.Body, live, $"already managed by bundle {name}; an object can belong to one bundle only");
        }
        var liveHash = live["metadata"]?["annotations"]?[OwnershipLabels.DesiredHash]?.GetValue<string>();
        if (liveHash != desired.Hash)
            return new(desired.Ref, ChangeAction.Update, desired.Body, live, Force: policy.Force,
                Recreate: ChartHook.DeletePolicyOf(desired.Body).HasFlag(HookDeletePolicy.BeforeHookCreation));
        if (DriftComparer.FirstDifference(desired.Body, live) is not { } field) return new(desired.Ref, ChangeAction.Unchanged, desired.Body, live);

        var manager = DriftComparer.LastOtherManager(live, FieldManager);
        return policy.Drift switch
        {
            DriftMode.Ignore => new(desired.Ref, ChangeAction.Unchanged, desired.Body, live, $"{field} differs (drift ignored)", manager),
            DriftMode.Warn => new(desired.Ref, ChangeAction.DriftReport, desired.Body, live, field, manager),
            // Correcting takes back fields Flotilla owned, which the other writer now holds: that needs force.
            DriftMode.Correct when !held => new(desired.Ref, ChangeAction.DriftCorrect, desired.Body, live, field, manager, Force: true),
            DriftMode.Correct => new(desired.Ref, ChangeAction.DriftReport, desired.Body, live, $"{field} (fight: no longer corrected)", manager),
        };
    }

    /// <summary>
    /// Objects in <paramref name="inventory"/> and no longer desired, in prune order (reverse apply order). Only an
    /// object found live and carrying this bundle's label is pruned; every other one is <see cref="ChangeAction.PruneSkipped"/>
    /// with the reason.
    /// </summary>
    public static IReadOnlyList<PlannedChange> PlanPrune(Inventory inventory, IEnumerable<ObjectRef> desired,
        IReadOnlyDictionary<ObjectRef, JsonObject> live, string owner, SyncPolicy policy)
    {
        var diff = InventoryDiff.Compute(inventory, desired, policy.AllowEmpty);
        return diff.Prune.Select(reference =>
        {
            var found = live.GetValueOrDefault(reference);
            if (found is null)
                return new PlannedChange(reference, ChangeAction.PruneSkipped, null, null, "not found among Flotilla's objects (already deleted, or its labels were removed)");
            var label = found["metadata"]?["labels"]?[OwnershipLabels.Bundle]?.GetValue<string>();
            if (label != owner)
                return new PlannedChange(reference, ChangeAction.PruneSkipped, null, found, $"does not carry this bundle's label (it has {label ?? "none"})");
            if (!policy.Prune)
                return new PlannedChange(reference, ChangeAction.PruneSkipped, null, found, "prune is off (spec.sync.prune: false)");
            return new PlannedChange(reference, ChangeAction.Prune, null, found);
        }).ToList();
    }

    /// <summary>
    /// A drift correction whose server dry-run equals the live object is no drift at all (the server normalises the
    /// desired value: a quantity, a default): it becomes <see cref="ChangeAction.Unchanged"/> and costs no write.
    /// </summary>
    public static PlannedChange AfterDryRun(PlannedChange change, JsonObject dryRun)
    {
        if (change.Action != ChangeAction.DriftCorrect || change.Live is null) return change;
        var result = dryRun.DeepClone().AsObject();
        result.Remove("status");
        return DriftComparer.Matches(result, change.Live) ? change with { Action = ChangeAction.Unchanged, Detail = null, Manager = null, Force = false } : change;
    }

    /// <summary>The server refused the apply because <paramref name="manager"/> owns a field: a conflict, forced only with force.</summary>
    public static PlannedChange Conflicted(PlannedChange change, string detail, string? manager) =>
        change with { Action = ChangeAction.Conflict, Detail = detail, Manager = manager };

    /// <summary>The field manager Flotilla writes as.</summary>
    public const string FieldManager = "flotilla";
}
