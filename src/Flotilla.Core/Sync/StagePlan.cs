using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>One stage of a <see cref="ChangeSet"/>: its objects in apply order, each with what the sync does about it.</summary>
public sealed record StagePlan(ApplyStageKind Kind, IReadOnlyList<PlannedChange> Changes)
{
    /// <summary>The objects the executor sends (dry-run first, then apply).</summary>
    public IEnumerable<PlannedChange> Writes => Changes.Where(c => c.Writes);

    /// <summary>The first change that stops the stage (a conflict, an object of another bundle), or null.</summary>
    public PlannedChange? FirstBlocking => Changes.FirstOrDefault(c => c.Blocks);

    /// <summary>True when CRDs of this stage must be Established before the next stage is planned.</summary>
    public bool WaitsForEstablishedDefinitions =>
        Kind == ApplyStageKind.ClusterDefinitions
        && Changes.Any(c => c.Ref is { Group: WellKnownKinds.ApiExtensions, Kind: "CustomResourceDefinition" });
}
