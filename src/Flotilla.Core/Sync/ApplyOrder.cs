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

    /// <summary>Which stage applies an object of this group and kind.</summary>
    public static ApplyStageKind StageOf(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return KindOrder.Of(reference).Stage;
    }

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
        var c = xStage.CompareTo(yStage);
        if (c != 0)
        {
            return c;
        }

        c = xRank.CompareTo(yRank);
        return c != 0 ? c : x.CompareTo(y);
    }
}
