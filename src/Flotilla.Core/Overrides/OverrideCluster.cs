namespace Flotilla.Core.Overrides;

/// <summary>
/// What overrides need to know about one cluster: its name, labels (for rule selectors and <c>${cluster.labels[…]}</c>)
/// and properties (<c>${cluster.properties[…]}</c>: facts the hub observes, such as the Kubernetes version, and custom
/// properties the cluster carries). Deliberately minimal so any richer cluster model maps onto it.
/// </summary>
public sealed record OverrideCluster(string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Properties);
