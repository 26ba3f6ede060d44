namespace Flotilla.Core.Overrides;

/// <summary>Where a variable's value comes from.</summary>
public enum ClusterVariableSource
{
    /// <summary><c>${cluster.name}</c>.</summary>
    Name,

    /// <summary><c>${cluster.labels['key']}</c>.</summary>
    Label,

    /// <summary><c>${cluster.properties['key']}</c>.</summary>
    Property,
}

/// <summary>One variable a manifest uses; ordered by source, then key (ordinal), which fixes its place in an <see cref="OverrideKey"/>.</summary>
public sealed record ClusterVariable(ClusterVariableSource Source, string Key) : IComparable<ClusterVariable>
{
    /// <summary>The cluster's value, or null when it has no such label or property.</summary>
    public string? ValueIn(OverrideCluster cluster) => Source switch
    {
        ClusterVariableSource.Name => cluster.Name,
        ClusterVariableSource.Label => cluster.Labels.TryGetValue(Key, out var label) ? label : null,
        ClusterVariableSource.Property => cluster.Properties.TryGetValue(Key, out var property) ? property : null,
    };

    public int CompareTo(ClusterVariable? other) =>
        other is null ? 1 : Source != other.Source ? Source.CompareTo(other.Source) : string.CompareOrdinal(Key, other.Key);

    /// <summary>The variable as written in a manifest.</summary>
    public override string ToString() => Source switch
    {
        ClusterVariableSource.Name => "${cluster.name}",
        ClusterVariableSource.Label => $"${{cluster.labels['{Key}']}}",
        ClusterVariableSource.Property => $"${{cluster.properties['{Key}']}}",
    };
}
