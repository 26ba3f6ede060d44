using System.Collections.Immutable;
using Flotilla.Core.Services;

namespace Flotilla.Controllers.Services;

/// <summary>A ClusterSet as its services need it: members, endpoint lifetime policy, and which members' endpoints are published.</summary>
public sealed record ClusterSetState(string Name, ImmutableArray<string> Members, StaleEndpointsPolicy Policy, ImmutableSortedDictionary<string, bool> Published)
{
    public bool SameAs(ClusterSetState? other) =>
        other is not null && Members.SequenceEqual(other.Members) && Policy == other.Policy && Published.SequenceEqual(other.Published);
}
