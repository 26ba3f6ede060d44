namespace Flotilla.Core.Overrides;

/// <summary>
/// Everything a cluster's result depends on, for one <see cref="PreparedOverrides"/>: the rules that match the cluster
/// (bit <c>i</c> = the <c>i</c>-th rule in application order) and the values of the variables the manifests use (in
/// <see cref="ClusterVariable"/> order; null where the cluster lacks one). Clusters with equal keys get the same result,
/// so the hub computes one per distinct key. Keys of different <see cref="PreparedOverrides"/> are not comparable.
/// </summary>
public readonly struct OverrideKey : IEquatable<OverrideKey>
{
    private readonly string?[]? _values;

    internal OverrideKey(ulong rules, string?[]? values)
    {
        Rules = rules;
        _values = values;
    }

    /// <summary>The matching rules as a bit mask over the rules in application order.</summary>
    public ulong Rules { get; }

    /// <summary>The variable values, in <see cref="PreparedOverrides.Variables"/> order; empty when no manifest uses one.</summary>
    public IReadOnlyList<string?> Values => _values ?? [];

    public bool Equals(OverrideKey other) =>
        Rules == other.Rules && (ReferenceEquals(_values, other._values) || Values.SequenceEqual(other.Values, StringComparer.Ordinal));

    public override bool Equals(object? obj) => obj is OverrideKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Rules);
        foreach (var value in Values) hash.Add(value, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public static bool operator ==(OverrideKey left, OverrideKey right) => left.Equals(right);

    public static bool operator !=(OverrideKey left, OverrideKey right) => !left.Equals(right);

    /// <summary><c>rules=0x5 values=[eu-west,1.30]</c>, for logs.</summary>
    public override string ToString() => $"rules=0x{Rules:x} values=[{string.Join(",", Values.Select(v => v ?? "<missing>"))}]";
}
