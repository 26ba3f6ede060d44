using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// A compiled toleration. Matching follows Kubernetes: an empty key (with Exists) matches every key, a null effect
/// every effect, Exists any value, Equal only the same value.
/// </summary>
internal sealed record Toleration(string Key, bool Exists, string Value, TaintEffect? Effect, long? Seconds)
{
    public bool Matches(ClusterTaint taint) =>
        (Effect is null || Effect == taint.Effect)
        && (Key.Length == 0 || Key == taint.Key)
        && (Exists || Value == taint.Value);
}
