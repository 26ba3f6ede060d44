namespace Flotilla.Core.Sync;

/// <summary>The stages to apply, in order. Stages with no objects are omitted.</summary>
public sealed class ApplyPlan
{
    internal ApplyPlan(IReadOnlyList<ApplyStage> stages)
    {
        Stages = stages;
    }

    /// <summary>The non-empty stages in <see cref="ApplyStageKind"/> order.</summary>
    public IReadOnlyList<ApplyStage> Stages { get; }

    /// <summary>Total number of objects across stages.</summary>
    public int Count => Stages.Sum(s => s.Manifests.Count);
}
