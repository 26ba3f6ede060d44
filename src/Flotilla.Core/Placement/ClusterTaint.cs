using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// A taint on a cluster. <see cref="TimeAdded"/> is when the hub first saw it: a toleration's
/// <c>tolerationSeconds</c> counts from there, not from when a bundle was placed.
/// </summary>
public sealed record ClusterTaint(string Key, string Value, TaintEffect Effect, DateTimeOffset TimeAdded)
{
    /// <summary>kubectl's form: <c>key=value:Effect</c>, or <c>key:Effect</c> for an empty value.</summary>
    public override string ToString() => Value.Length == 0 ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
