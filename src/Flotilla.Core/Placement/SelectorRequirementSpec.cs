using System.Collections.Immutable;

namespace Flotilla.Core.Placement;

/// <summary>
/// One requirement as written in the Bundle: a label <c>matchExpressions</c> entry (In, NotIn, Exists,
/// DoesNotExist) or a fact selector entry (those plus Gt, Ge, Lt, Le, Eq, Ne). Kept as text so that
/// <see cref="PlacementSpec.Validate"/> can name a bad operator instead of the mapping failing.
/// </summary>
public sealed record SelectorRequirementSpec(string Key, string Operator, ImmutableArray<string> Values)
{
    public bool Equals(SelectorRequirementSpec? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Key, Operator, Values.Length);
}
