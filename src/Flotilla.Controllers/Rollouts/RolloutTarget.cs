using Flotilla.Core.Manifests;
using Flotilla.Core.Rollout;

namespace Flotilla.Controllers.Rollouts;

/// <summary>
/// A bundle's rollout as its reconcile last planned it: the plan (each cluster's revision, the state to store, phase and
/// message), the rendered objects of every revision a cluster is given (none for a chart bundle, whose objects are each
/// cluster's render of its revision: <see cref="ClusterSync.BundleTarget.Charts"/>), the command the plan acknowledged, and
/// what kept a cluster from its planned revision (a revision whose snapshot is gone is left alone rather than guessed).
/// </summary>
public sealed record RolloutTarget(RolloutPlan Plan, IReadOnlyDictionary<string, ManifestSet> Manifests, string? CommandId)
{
    private readonly Dictionary<string, ClusterRollout> _clusters = Plan.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Clusters held back from their planned revision, with why (shown in status; the cluster keeps what it has).</summary>
    public IReadOnlyDictionary<string, string> HeldBack { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The revision a cluster is synced to now; null for a cluster the run leaves alone, or held back.</summary>
    public string? RevisionOf(string cluster) => HeldBack.ContainsKey(cluster) ? null : _clusters.GetValueOrDefault(cluster).Revision;

    /// <summary>The planner's word for <paramref name="cluster"/> (stage and status), or null when it is not placed.</summary>
    public ClusterRollout? Of(string cluster) => _clusters.TryGetValue(cluster, out var c) ? c : null;
}
