namespace Flotilla.Core.Services;

/// <summary>A multi-cluster service: the namespace/name every member of a set shares (namespace sameness).</summary>
public sealed record ServiceKey(string Namespace, string Name) : IComparable<ServiceKey>
{
    public int CompareTo(ServiceKey? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public override string ToString() => $"{Namespace}/{Name}";
}
