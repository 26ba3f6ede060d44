using System.Collections.Immutable;

namespace Flotilla.Core.Services;

/// <summary>
/// The ServiceImport every member of the set gets for one namespace/name: the oldest export's type, session affinity
/// and address families, the union of all exports' ports (a port name two exports define differently is the oldest's),
/// the exporting clusters in name order, and each losing export's conflict.
/// </summary>
public sealed record MergedImport(ImportType Type, ImmutableArray<ServicePort> Ports, string SessionAffinity, ImmutableArray<string> IpFamilies,
    ImmutableArray<string> Clusters, ImmutableSortedDictionary<string, ExportConflict> Conflicts)
{
    public bool Equals(MergedImport? other) =>
        other is not null && Type == other.Type && Ports.SequenceEqual(other.Ports) && SessionAffinity == other.SessionAffinity
        && IpFamilies.SequenceEqual(other.IpFamilies) && Clusters.SequenceEqual(other.Clusters) && Conflicts.SequenceEqual(other.Conflicts);

    public override int GetHashCode() => HashCode.Combine(Type, Ports.Length, Clusters.Length);
}
