using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>
/// One object's line in a preview: what the sync would do, the redacted live object and what the server would store
/// (from the dry-run; the desired object where no dry-run was possible), and the object's error, if any.
/// </summary>
public sealed record ObjectDiff(ObjectRef Object, ChangeAction Action, JsonObject? Before, JsonObject? After, string? Detail, string? Error)
{
    /// <summary>The preview of a whole executor run, in plan order (stages, then prunes).</summary>
    public static IReadOnlyList<ObjectDiff> From(SyncOutcome outcome)
    {
        var diffs = new List<ObjectDiff>();
        foreach (var change in outcome.Plan.All)
        {
            var after = change.Action == ChangeAction.Prune ? null : outcome.DryRuns.GetValueOrDefault(change.Ref) ?? change.Desired;
            var (before, shown) = DiffView.Of(change.Live, change.Action is ChangeAction.Prune or ChangeAction.PruneSkipped ? null : after);
            diffs.Add(new ObjectDiff(change.Ref, change.Action, before, shown, change.Detail, outcome.Errors.GetValueOrDefault(change.Ref)));
        }
        foreach (var (reference, error) in outcome.Errors.Where(e => !diffs.Any(d => d.Object.Equals(e.Key))).OrderBy(e => e.Key, ApplyOrder.Instance))
            diffs.Add(new ObjectDiff(reference, ChangeAction.Create, null, null, null, error));
        if (outcome.Plan.Refusal is { } refusal) diffs.Add(new ObjectDiff(new ObjectRef("", "v1", "Bundle", "", "*"), ChangeAction.PruneSkipped, null, null, refusal, refusal));
        return diffs;
    }
}
