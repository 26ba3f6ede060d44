using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The total apply order of object references: by <see cref="ApplyStageKind"/>, then by the fixed kind
/// rank inside the stage (unknown kinds last), then by <see cref="ObjectRef"/> (ordinal). Prune order
/// is its reverse. Consistent with <see cref="ObjectRef"/> equality: only equal identities compare as 0.
/// </summary>
public sealed class ApplyOrder : IComparer<ObjectRef>
{
    private ApplyOrder()
    {
    }

    /// <summary>The single instance.</summary>
    public static ApplyOrder Instance { get; } = new();

    /// <summary>Which stage applies an object of this group and kind (hooks aside: see the overloads taking the object).</summary>
    public static ApplyStageKind StageOf(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return KindOrder.Of(reference).Stage;
    }

    /// <summary>Which stage applies this object: a Helm pre/post hook's own stage, whatever its kind; else its kind's.</summary>
    public static ApplyStageKind StageOf(ObjectRef reference, JsonObject body) => ChartHook.PhaseOf(body) switch
    {
        HookPhase.PreSync => ApplyStageKind.PreSyncHooks,
        HookPhase.PostSync => ApplyStageKind.PostSyncHooks,
        HookPhase.None or HookPhase.Test or HookPhase.Ignored => StageOf(reference),
    };

    /// <summary>Which stage applies this rendered object.</summary>
    public static ApplyStageKind StageOf(Manifest manifest) => manifest.Stage;

    /// <inheritdoc />
    public int Compare(ObjectRef? x, ObjectRef? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var (xStage, xRank) = KindOrder.Of(x);
        var (yStage, yRank) = KindOrder.Of(y);
        // Compared as ints: Enum.CompareTo takes an object, and boxing both stages was the hub's largest allocation
        // (every cluster sorts every object of its bundle on each sync).
        var c = ((int)xStage).CompareTo((int)yStage);
        if (c != 0)
        {
            return c;
        }

        c = xRank.CompareTo(yRank);
        return c != 0 ? c : x.CompareTo(y);
    }
}
