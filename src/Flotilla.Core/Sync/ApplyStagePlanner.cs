using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// Splits desired manifests into ordered apply stages, Flux-ssa style: cluster definitions first, Helm pre hooks,
/// then ordinary resources by kind, webhooks, and Helm post hooks last. Deterministic: the same input in any order gives
/// the same plan.
/// </summary>
public static class ApplyStagePlanner
{
    /// <summary>Plans the stages for <paramref name="manifests"/>.</summary>
    /// <param name="manifests">The desired objects; a set, so every identity appears once.</param>
    /// <returns>The non-empty stages, each ordered by <see cref="ApplyOrder"/>.</returns>
    public static ApplyPlan Plan(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);

        var ordered = manifests.ToList();
        ordered.Sort(static (a, b) => ApplyOrder.Instance.Compare(a.Ref, b.Ref));

        var stages = ordered
            .GroupBy(ApplyOrder.StageOf)
            .OrderBy(g => g.Key)
            .Select(g => new ApplyStage(g.Key, g.ToArray()))
            .ToArray();
        return new ApplyPlan(stages);
    }
}
