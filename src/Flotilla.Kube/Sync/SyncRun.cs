using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>The state of one executor run: what is on record in the member, the stages planned so far, and what went wrong.</summary>
internal sealed class SyncRun(SyncRequest request, bool apply, StoredInventory stored)
{
    // By stage: dry-runs of several stages may run in one round, and each stage answers for its own objects.
    private readonly ConcurrentDictionary<ApplyStageKind, ConcurrentQueue<(ObjectRef Ref, string Error)>> _stageErrors = new();
    private readonly List<(ApplyStageKind Stage, ObjectRef Ref, string Error)> _leftOut = [];

    public SyncRequest Request => request;

    public bool Apply => apply;

    /// <summary>The member's inventory record as last read or written by this run.</summary>
    public StoredInventory Stored { get; set; } = stored;

    /// <summary>Every object on record (what a prune may consider).</summary>
    public Inventory Recorded { get; set; } = stored.Inventory;

    public List<StagePlan> Stages { get; } = [];

    /// <summary>The resource of every object resolved so far (desired and prune candidates), so nothing is resolved twice.</summary>
    public Dictionary<ObjectRef, ApiResource> Kinds { get; } = [];

    public ConcurrentDictionary<ObjectRef, string> Errors { get; } = new();

    public ConcurrentDictionary<ObjectRef, JsonObject> DryRuns { get; } = new();

    public ConcurrentDictionary<ObjectRef, PlannedChange> Conflicts { get; } = new();

    public ConcurrentBag<string> Warnings { get; } = [];

    public int Written { get; set; }

    /// <summary>Why the current stage may not be written (or, once written, why it is incomplete).</summary>
    public string? StageError { get; set; }

    /// <summary>True when the current stage's error came after some of its objects were written.</summary>
    public bool StagePartlyWritten { get; set; }

    /// <summary>True when an object's error stops <paramref name="stage"/>.</summary>
    public bool HasStageErrors(ApplyStageKind stage) => _stageErrors.TryGetValue(stage, out var errors) && !errors.IsEmpty;

    /// <summary>Records the error of an object left out of its stage (its API group failed discovery); the stage goes on.</summary>
    public void LeaveOut(ApplyStageKind stage, ObjectRef reference, string error)
    {
        Errors[reference] = error;
        _leftOut.Add((stage, reference, error));
    }

    /// <summary>The first object left out (by stage, then apply order) with how many more, or null when none was.</summary>
    public (ApplyStageKind Stage, string Error)? LeftOut()
    {
        if (_leftOut.Count == 0) return null;
        var first = _leftOut.OrderBy(e => e.Stage).ThenBy(e => e.Ref, ApplyOrder.Instance).First();
        return (first.Stage, first.Error + (_leftOut.Count > 1 ? $" (and {_leftOut.Count - 1} more)" : ""));
    }

    /// <summary>Records one object's error against its stage.</summary>
    public void Fail(ObjectRef reference, string error)
    {
        Errors[reference] = error;
        _stageErrors.GetOrAdd(ApplyOrder.StageOf(reference), _ => new()).Enqueue((reference, error));
    }

    /// <summary>Why <paramref name="stage"/> cannot be written (its first error, in apply order, and how many more), or null.</summary>
    public string? TakeStageError(StagePlan stage)
    {
        var errors = new List<(ObjectRef Ref, string Error)>();
        if (_stageErrors.TryGetValue(stage.Kind, out var queued))
            while (queued.TryDequeue(out var e)) errors.Add(e);
        if (stage.FirstBlocking is { } blocking && !errors.Any(e => e.Ref.Equals(blocking.Ref)))
            errors.Add((blocking.Ref, $"{blocking.Ref}: {blocking.Detail}"));
        if (errors.Count == 0) return null;
        var first = errors.OrderBy(e => e.Ref, ApplyOrder.Instance).First();
        return first.Error + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "");
    }

    /// <summary>The result of a run that stopped at <paramref name="stage"/>; <paramref name="partly"/>: some of its objects were written.</summary>
    public SyncResult StoppedAt(ApplyStageKind stage, string error, bool partly) =>
        SyncResult.Failure(SyncPhase.Failed, Stored.Revision, $"stage {stage} {(partly ? "partly applied" : "not applied")}: {error}") with
        {
            Stage = stage.ToString(),
            PartialRevision = Stored.Applying,
            Warnings = [.. Warnings.Distinct().Order(StringComparer.Ordinal)],
        };

    public SyncOutcome Outcome(ChangeSet plan, SyncResult result) =>
        new(plan, new Dictionary<ObjectRef, JsonObject>(DryRuns), new Dictionary<ObjectRef, string>(Errors), result);
}
