using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// What one sync of one bundle does to one cluster, as a value: the stages in order, each object's
/// <see cref="ChangeAction"/> with its reason, then the prunes. <see cref="Refusal"/> is set when the sync must not
/// run at all (an empty render that would prune everything); stages and prunes are then empty.
/// </summary>
public sealed record ChangeSet(IReadOnlyList<StagePlan> Stages, IReadOnlyList<PlannedChange> Prunes, string? Refusal = null)
{
    /// <summary>Every change in order: stages first, then prunes.</summary>
    public IEnumerable<PlannedChange> All => Stages.SelectMany(s => s.Changes).Concat(Prunes);

    /// <summary>The desired identities, in apply order (what the inventory holds after a complete sync).</summary>
    public IEnumerable<ObjectRef> Desired => Stages.SelectMany(s => s.Changes).Select(c => c.Ref);
}
