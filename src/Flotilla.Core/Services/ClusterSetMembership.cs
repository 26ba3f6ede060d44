using System.Collections.Immutable;

namespace Flotilla.Core.Services;

/// <summary>Members of one set, in name order, and the matching clusters another set holds.</summary>
public sealed record SetMembers(ImmutableArray<string> Members, ImmutableArray<ExcludedCluster> Excluded)
{
    public bool Equals(SetMembers? other) => other is not null && Members.SequenceEqual(other.Members) && Excluded.SequenceEqual(other.Excluded);

    public override int GetHashCode() => HashCode.Combine(Members.Length, Excluded.Length);
}

/// <summary>
/// Which set each cluster is in. A cluster is in at most one set: the oldest (creation time, then name) whose selector
/// matches it; every younger set that matches it lists it as excluded, naming the set that holds it.
/// </summary>
public static class ClusterSetMembership
{
    public static ImmutableSortedDictionary<string, SetMembers> Assign(IEnumerable<ClusterSetDefinition> sets, IEnumerable<SetCandidate> clusters)
    {
        var ordered = sets.OrderBy(s => s.CreatedAt).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var members = ordered.ToDictionary(s => s.Name, _ => new List<string>(), StringComparer.Ordinal);
        var excluded = ordered.ToDictionary(s => s.Name, _ => new List<ExcludedCluster>(), StringComparer.Ordinal);
        foreach (var cluster in clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            string? holder = null;
            foreach (var set in ordered.Where(s => s.Selector.Matches(cluster.Labels)))
            {
                if (holder is null)
                {
                    holder = set.Name;
                    members[set.Name].Add(cluster.Name);
                }
                else excluded[set.Name].Add(new(cluster.Name, $"already in ClusterSet {holder} (older); a cluster is in at most one set"));
            }
        }
        return ordered.ToImmutableSortedDictionary(s => s.Name, s => new SetMembers([.. members[s.Name]], [.. excluded[s.Name]]), StringComparer.Ordinal);
    }
}
