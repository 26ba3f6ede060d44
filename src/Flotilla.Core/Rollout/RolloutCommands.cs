using System.Collections.Immutable;

namespace Flotilla.Core.Rollout;

/// <summary>Folds user commands into a <see cref="RolloutState"/>. Pure; the planner calls it before planning.</summary>
public static class RolloutCommands
{
    /// <summary>The state after <paramref name="command"/>; unchanged when the command is stale or has nothing to do.</summary>
    public static RolloutState Apply(RolloutState state, RolloutCommand command, DateTimeOffset now) => command.Kind switch
    {
        RolloutCommandKind.Pause => state with { Paused = true },
        RolloutCommandKind.Resume => Resume(state, now),
        RolloutCommandKind.Approve => command.Revision == state.Revision && command.Gate is { } gate && !state.Approvals.Contains(gate)
            ? state with { Approvals = [.. state.Approvals.Add(gate).Order(StringComparer.Ordinal)] }
            : state,
        RolloutCommandKind.Rollback => command.Revision == state.Revision && state.Revision is not null && state.RolledBack is null
            ? state with { RolledBack = "rollback requested" }
            : state,
    };

    // A resume is a retry: the failures are forgiven and every released cluster gets a full deadline from now, so a
    // cluster whose deadline ran out during the pause is not failed the moment the run moves again.
    private static RolloutState Resume(RolloutState state, DateTimeOffset now) =>
        state with
        {
            Paused = false,
            Halted = null,
            Clusters = [.. state.Clusters.Select(c => c with { ReleasedAt = now, Failure = null })],
        };

    /// <summary>Applies <paramref name="commands"/> in order.</summary>
    public static RolloutState ApplyAll(RolloutState state, IEnumerable<RolloutCommand> commands, DateTimeOffset now) =>
        commands.Aggregate(state, (s, c) => Apply(s, c, now));
}
