using Flotilla.Core.Clusters;

namespace Flotilla.Core.Services;

/// <summary>A ClusterSet as membership needs it: its name, age (the older set keeps a contested cluster) and selector.</summary>
public sealed record ClusterSetDefinition(string Name, DateTimeOffset CreatedAt, LabelSelector Selector);

/// <summary>A cluster as membership needs it.</summary>
public sealed record SetCandidate(string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A cluster a set's selector matches that is not in it, and why.</summary>
public sealed record ExcludedCluster(string Name, string Reason);
