using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The difference between what was applied before (an <see cref="Inventory"/>) and what is desired now:
/// which objects to prune, and which are new.
/// </summary>
/// <remarks>
/// Prune order is the reverse of <see cref="ApplyOrder"/>: webhooks first (so a webhook cannot block the
/// deletes after it), then workloads and the rest of the resources, then cluster definitions with
/// Namespaces before CustomResourceDefinitions last. Pruned references carry the version they were
/// applied at. Safety rule: an empty desired set never prunes (a broken render or a wrong path would
/// otherwise delete everything) unless <c>allowEmpty</c> is set; the diff then reports
/// <see cref="PruneWithheld"/> and the caller should keep the previous inventory.
/// </remarks>
public sealed class InventoryDiff
{
    private InventoryDiff(IReadOnlyList<ObjectRef> prune, IReadOnlyList<ObjectRef> added, bool pruneWithheld)
    {
        Prune = prune;
        Added = added;
        PruneWithheld = pruneWithheld;
    }

    /// <summary>Objects in the previous inventory and not desired now, in prune (reverse apply) order.</summary>
    public IReadOnlyList<ObjectRef> Prune { get; }

    /// <summary>Desired objects not in the previous inventory, in apply order.</summary>
    public IReadOnlyList<ObjectRef> Added { get; }

    /// <summary>
    /// True when the desired set was empty, the previous inventory was not, and empty sets were not
    /// allowed: <see cref="Prune"/> is then empty although objects would otherwise have been pruned.
    /// </summary>
    public bool PruneWithheld { get; }

    /// <summary>Computes the diff.</summary>
    /// <param name="previous">What was applied before.</param>
    /// <param name="desired">What is desired now (identities; versions are ignored for matching).</param>
    /// <param name="allowEmpty">Whether an empty desired set may prune everything. Default false.</param>
    public static InventoryDiff Compute(Inventory previous, IEnumerable<ObjectRef> desired, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(desired);

        var wanted = new HashSet<ObjectRef>(desired);
        var added = wanted.Where(r => !previous.Contains(r)).ToList();
        added.Sort(ApplyOrder.Instance);

        if (wanted.Count == 0 && previous.Count > 0 && !allowEmpty)
        {
            return new InventoryDiff([], added, pruneWithheld: true);
        }

        var prune = previous.Entries.Where(r => !wanted.Contains(r)).ToList();
        prune.Sort((a, b) => ApplyOrder.Instance.Compare(b, a));
        return new InventoryDiff(prune, added, pruneWithheld: false);
    }
}
