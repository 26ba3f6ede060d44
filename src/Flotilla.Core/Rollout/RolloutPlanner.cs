using System.Collections.Immutable;

namespace Flotilla.Core.Rollout;

/// <summary>
/// The progressive rollout planner: which revision each placed cluster of one bundle should be synced to now, the state
/// to store, the phase, why the run waits, and when to look again. Pure: the clock is <c>now</c>, the members are the
/// hub's observations, user commands come in as values. O(clusters) per plan; the rules are in this folder's README.
/// </summary>
public static class RolloutPlanner
{
    /// <summary>Plans one bundle's rollout of <paramref name="targetRevision"/>.</summary>
    /// <param name="spec">The bundle's rollout spec; an invalid one moves nothing (phase Invalid).</param>
    /// <param name="state">The stored state, or null for a bundle that never rolled out.</param>
    /// <param name="clusters">The placed clusters, ideally in ordinal name order (otherwise sorted here); names unique.</param>
    /// <param name="targetRevision">The bundle's newest revision; a different one than the state's supersedes the run.</param>
    /// <param name="now">The hub's clock.</param>
    /// <param name="commands">Commands received since the last plan, applied in order before planning (pass each once).</param>
    public static RolloutPlan Plan(
        RolloutSpec spec,
        RolloutState? state,
        IReadOnlyList<ClusterObservation> clusters,
        string targetRevision,
        DateTimeOffset now,
        IEnumerable<RolloutCommand>? commands = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(targetRevision);
        var current = RolloutCommands.ApplyAll(state ?? RolloutState.Empty, commands ?? [], now);
        var members = InNameOrder(clusters);
        var errors = spec.Validate();
        if (errors.Count > 0) return Hold(current, members, $"invalid rollout spec: {string.Join("; ", errors)}");

        var stages = spec.EffectiveStages();
        return new RolloutRun(spec, stages, StartOrContinue(current, stages, targetRevision, now), members, targetRevision, now).Plan();
    }

    // A newer revision starts a new run from the first stage; the pause (the user's) and the last healthy revision stay.
    // A changed stage list restarts the same revision from the first stage: finished stages pass again at once because
    // their clusters are done, and recorded approvals stay, so nothing is redone and no gate is asked twice.
    private static RolloutState StartOrContinue(RolloutState state, ImmutableArray<RolloutStage> stages, string target, DateTimeOffset now)
    {
        var fresh = stages.Select(s => new StageSummary(s.Name, 0, 0, 0)).ToImmutableArray();
        if (state.Revision != target)
            return new RolloutState { Revision = target, LastHealthyRevision = state.LastHealthyRevision, Paused = state.Paused, StepSince = now, Stages = fresh };
        return state.Stages.Select(s => s.Name).SequenceEqual(stages.Select(s => s.Name), StringComparer.Ordinal)
            ? state
            : state with { Stage = 0, Step = RolloutStep.Before, Gate = 0, StepSince = now, Stages = fresh };
    }

    // The spec cannot be planned: every cluster keeps what the stored run gave it, and the state is left as it was.
    private static RolloutPlan Hold(RolloutState state, IReadOnlyList<ClusterObservation> members, string message)
    {
        var released = state.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var clusters = ImmutableArray.CreateBuilder<ClusterRollout>(members.Count);
        foreach (var o in members)
        {
            var moved = state.Revision is not null && (released.Contains(o.Name) || o.AppliedRevision == state.Revision);
            clusters.Add(new ClusterRollout(o.Name, moved ? state.Revision : o.AppliedRevision ?? state.LastHealthyRevision, null,
                moved ? ClusterRolloutStatus.InFlight : ClusterRolloutStatus.Pending));
        }
        return new RolloutPlan(clusters.MoveToImmutable(), state, RolloutPhase.Invalid, message, null);
    }

    private static IReadOnlyList<ClusterObservation> InNameOrder(IReadOnlyList<ClusterObservation> clusters)
    {
        for (var i = 1; i < clusters.Count; i++)
        {
            var order = string.CompareOrdinal(clusters[i - 1].Name, clusters[i].Name);
            if (order == 0) throw new ArgumentException($"cluster {clusters[i].Name} is listed twice", nameof(clusters));
            if (order > 0) return Sorted(clusters);
        }
        return clusters;
    }

    private static ClusterObservation[] Sorted(IReadOnlyList<ClusterObservation> clusters)
    {
        var sorted = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i - 1].Name == sorted[i].Name) throw new ArgumentException($"cluster {sorted[i].Name} is listed twice", nameof(clusters));
        return sorted;
    }
}
