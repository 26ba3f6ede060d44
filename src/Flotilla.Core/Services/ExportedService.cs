using System.Collections.Immutable;

namespace Flotilla.Core.Services;

/// <summary>
/// What one cluster exports of a namespace/name: its ServiceExport's creation time (the KEP's precedence: oldest wins)
/// and the properties of the Service of the same name there.
/// </summary>
public sealed record ExportedService(string Cluster, DateTimeOffset ExportedAt, ImportType Type, ImmutableArray<ServicePort> Ports,
    string SessionAffinity, ImmutableArray<string> IpFamilies)
{
    public bool Equals(ExportedService? other) =>
        other is not null && Cluster == other.Cluster && ExportedAt == other.ExportedAt && Type == other.Type
        && Ports.SequenceEqual(other.Ports) && SessionAffinity == other.SessionAffinity && IpFamilies.SequenceEqual(other.IpFamilies);

    public override int GetHashCode() => HashCode.Combine(Cluster, ExportedAt, Type, Ports.Length);
}
