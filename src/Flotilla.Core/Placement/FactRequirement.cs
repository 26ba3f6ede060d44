using System.Collections.Immutable;
using System.Globalization;

namespace Flotilla.Core.Placement;

/// <summary>The operators of a fact requirement: set membership as for labels, and ordered comparisons.</summary>
internal enum FactOperator { In, NotIn, Exists, DoesNotExist, Gt, Ge, Lt, Le, Eq, Ne }

/// <summary>Which observed fact a requirement reads.</summary>
internal enum FactKind { KubernetesVersion, NodeCount, Property }

/// <summary>
/// A compiled requirement on a cluster's facts. Comparisons use <see cref="Version"/> when the key is
/// <c>kubernetesVersion</c> or the written value starts with <c>v</c> and a digit, otherwise <see cref="Number"/>;
/// both were parsed once, at compile time. A fact the cluster lacks fails every operator but NotIn and DoesNotExist.
/// </summary>
internal sealed record FactRequirement(string Key, FactKind Kind, FactOperator Operator, ImmutableArray<string> Values,
    bool ComparesVersions, KubernetesVersion Version, decimal Number)
{
    public const string KubernetesVersionKey = "kubernetesVersion";
    public const string NodeCountKey = "nodeCount";

    /// <summary>Null when the cluster satisfies the requirement, otherwise why not.</summary>
    public string? Check(ClusterFacts cluster)
    {
        var actual = Kind switch
        {
            FactKind.KubernetesVersion => cluster.KubernetesVersion,
            FactKind.NodeCount => cluster.NodeCount?.ToString(CultureInfo.InvariantCulture),
            FactKind.Property => cluster.Properties.TryGetValue(Key, out var value) ? value : null,
        };
        bool? holds = Operator switch
        {
            FactOperator.Exists => actual is not null,
            FactOperator.DoesNotExist => actual is null,
            FactOperator.In => actual is not null && Values.Contains(actual),
            FactOperator.NotIn => actual is null || !Values.Contains(actual),
            FactOperator.Gt or FactOperator.Ge or FactOperator.Lt or FactOperator.Le or FactOperator.Eq or FactOperator.Ne =>
                actual is null ? false : Compare(actual) is { } order ? Holds(order) : null,
        };
        return holds switch
        {
            true => null,
            false => actual is null ? $"fact selector: {this} not matched ({Key} not observed)" : $"fact selector: {this} not matched ({Key} is {actual})",
            null => $"fact selector: {this} not matched ({Key} is {actual}, not {(ComparesVersions ? "a version" : "a number")})",
        };
    }

    public override string ToString() => Operator switch
    {
        FactOperator.Exists => $"{Key} Exists",
        FactOperator.DoesNotExist => $"{Key} DoesNotExist",
        FactOperator.In => $"{Key} in ({string.Join(",", Values)})",
        FactOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        FactOperator.Gt or FactOperator.Ge or FactOperator.Lt or FactOperator.Le or FactOperator.Eq or FactOperator.Ne => $"{Key} {Operator} {Values[0]}",
    };

    private int? Compare(string actual)
    {
        if (ComparesVersions) return KubernetesVersion.TryParse(actual, out var version) ? version.CompareTo(Version) : null;
        return decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number.CompareTo(Number) : null;
    }

    private bool Holds(int order) => Operator switch
    {
        FactOperator.Gt => order > 0,
        FactOperator.Ge => order >= 0,
        FactOperator.Lt => order < 0,
        FactOperator.Le => order <= 0,
        FactOperator.Eq => order == 0,
        FactOperator.Ne => order != 0,
        FactOperator.In or FactOperator.NotIn or FactOperator.Exists or FactOperator.DoesNotExist =>
            throw new InvalidOperationException($"{Operator} is not a comparison"),
    };

    public bool Equals(FactRequirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Key, Operator, Values.Length);
}
