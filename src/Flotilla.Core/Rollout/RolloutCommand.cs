namespace Flotilla.Core.Rollout;

/// <summary>
/// A user's command, applied by <see cref="RolloutCommands.Apply"/> and recorded in the state. <see cref="Revision"/> is the
/// run the user saw: an Approve or Rollback for another revision is stale (a newer commit superseded that run) and is
/// ignored, so an approval never carries over to a revision nobody looked at. <see cref="Gate"/> names the approved gate
/// (<see cref="RolloutGate.Id"/>), never "whatever waits now", so a replayed command cannot approve a later gate.
/// </summary>
public sealed record RolloutCommand(RolloutCommandKind Kind, string? Revision = null, string? Gate = null)
{
    public static RolloutCommand Pause() => new(RolloutCommandKind.Pause);
    public static RolloutCommand Resume() => new(RolloutCommandKind.Resume);
    public static RolloutCommand Approve(string revision, string gate) => new(RolloutCommandKind.Approve, revision, gate);
    public static RolloutCommand Rollback(string revision) => new(RolloutCommandKind.Rollback, revision);
}
