using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>One stage of an <see cref="ApplyPlan"/>: the manifests to apply together, in apply order.</summary>
public sealed class ApplyStage
{
    internal ApplyStage(ApplyStageKind kind, IReadOnlyList<Manifest> manifests)
    {
        Kind = kind;
        Manifests = manifests;
    }

    /// <summary>Which stage this is.</summary>
    public ApplyStageKind Kind { get; }

    /// <summary>The manifests, never empty, ordered by <see cref="ApplyOrder"/>.</summary>
    public IReadOnlyList<Manifest> Manifests { get; }

    /// <summary>True when the applier must wait for CustomResourceDefinitions in this stage to be Established before the next stage.</summary>
    public bool WaitsForEstablishedDefinitions =>
        Kind == ApplyStageKind.ClusterDefinitions
        && Manifests.Any(m => m.Ref is { Group: WellKnownKinds.ApiExtensions, Kind: "CustomResourceDefinition" });

    /// <summary><c>Kind (n objects)</c>.</summary>
    public override string ToString() => $"{Kind} ({Manifests.Count} objects)";
}
