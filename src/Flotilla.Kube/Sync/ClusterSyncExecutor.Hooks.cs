using Flotilla.Core.Sync;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>The executor's side of Helm hooks: acting on a <see cref="HookGate"/> verdict, and recreating a hook.</summary>
public sealed partial class ClusterSyncExecutor
{
    /// <summary>
    /// Acts on a hook gate's verdict: deletes the hooks their policy removes (recorded first, so a run cut short in between
    /// finds the hook still there and deletes it then, and never runs it again), then goes on (null), or ends the run as
    /// waiting or failed.
    /// </summary>
    private async Task<SyncOutcome?> PassGateAsync(SyncRun run, ApplyStageKind kind, HookVerdict verdict, CancellationToken ct)
    {
        if (verdict.Deletions.Count > 0)
        {
            var hooks = verdict.Deletions.Aggregate(run.Stored.Hooks, (records, d) => records.With(d.Ref, d.Hash, d.Outcome));
            await WriteRecordAsync(run, run.Stored with { Hooks = hooks }, ct);
            foreach (var deletion in verdict.Deletions)
            {
                await cluster.DeleteAsync(run.Kinds[deletion.Ref], deletion.Ref, deletion.Live["metadata"]?["uid"]?.GetValue<string>(), ct);
                run.Wrote(deletion.Ref, null);
                _unchanged.TryRemove((deletion.Ref, run.Request.Owner), out _);
            }
        }
        return verdict.State switch
        {
            HookGateState.Proceed => null,
            HookGateState.Wait => run.Outcome(new ChangeSet(run.Stages, []), run.Waiting(kind, verdict.Message!, verdict.Health)),
            HookGateState.Fail => run.Outcome(new ChangeSet(run.Stages, []), run.HookFailed(kind, verdict.Message!)),
        };
    }

    /// <summary>
    /// The delete half of a recreate (<c>before-hook-creation</c>): deletes the live object (only while it has the planned
    /// uid) and waits until it is gone, so the apply that follows creates it anew. False (the object's error) when it
    /// is still there after the timeout.
    /// </summary>
    private async Task<bool> DeleteForRecreateAsync(SyncRun run, ApiResource kind, PlannedChange change, CancellationToken ct)
    {
        await cluster.DeleteAsync(kind, change.Ref, change.Live?["metadata"]?["uid"]?.GetValue<string>(), ct);
        _unchanged.TryRemove((change.Ref, run.Request.Owner), out _);
        var started = DateTime.UtcNow;
        while (await cluster.GetAsync(kind, change.Ref, ct) is not null)
        {
            if (DateTime.UtcNow > started + EstablishTimeout)
            {
                run.Fail(change.Ref, $"{change.Ref}: deleted to be recreated (before-hook-creation) but still there after {EstablishTimeout.TotalSeconds:0}s");
                return false;
            }
            await Task.Delay(100, ct);
        }
        return true;
    }
}
