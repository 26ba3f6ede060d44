using System.Collections.Immutable;

namespace Flotilla.Git.Sources;

/// <summary>What <see cref="SnapshotStore.Collect"/> removed: commit SHAs in ordinal order and the bytes of their files.</summary>
public sealed record SnapshotCollection(ImmutableArray<string> DeletedCommits, long BytesFreed)
{
    public bool Equals(SnapshotCollection? other) =>
        other is not null && BytesFreed == other.BytesFreed && DeletedCommits.SequenceEqual(other.DeletedCommits, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(BytesFreed, DeletedCommits.Length);

    public override string ToString() => $"{DeletedCommits.Length} snapshots deleted ({string.Join(", ", DeletedCommits)}), {BytesFreed} bytes freed";
}
