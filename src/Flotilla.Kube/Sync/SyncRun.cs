using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Core.Health;
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

    /// <summary>
    /// The stage of every object by identity, as rendered and as prepared (a hook's stage is not its kind's), so an
    /// object's error is held against the stage that writes it.
    /// </summary>
    public ConcurrentDictionary<ObjectRef, ApplyStageKind> StageByRef { get; } =
        new(request.Desired.Select(m => KeyValuePair.Create(m.Ref, ApplyOrder.StageOf(m))));

    /// <summary>The prepared desired objects planned so far, by identity.</summary>
    public ConcurrentDictionary<ObjectRef, DesiredObject> Prepared { get; } = new();

    // What each object was planned from, and what this run wrote or deleted since. The live copies are kept unparsed
    // (a snapshot of the cache): only a hook gate looks at them, and most bundles have no hooks.
    private readonly ConcurrentDictionary<ObjectRef, IReadOnlyDictionary<ObjectRef, JsonObject>> _plannedFrom = new();
    private readonly ConcurrentDictionary<ObjectRef, JsonObject?> _since = new();

    /// <summary>A planned object as last known: the cache's copy when planned, the server's answer once written, null once deleted.</summary>
    public JsonObject? Current(ObjectRef reference) =>
        _since.TryGetValue(reference, out var changed) ? changed
        : _plannedFrom.TryGetValue(reference, out var live) ? live.GetValueOrDefault(reference) : null;

    /// <summary>Records the live objects <paramref name="reference"/> was planned from.</summary>
    public void PlannedFrom(ObjectRef reference, IReadOnlyDictionary<ObjectRef, JsonObject> live) => _plannedFrom[reference] = live;

    /// <summary>Records what the server stored for <paramref name="reference"/> (null: this run deleted it).</summary>
    public void Wrote(ObjectRef reference, JsonObject? stored) => _since[reference] = stored;

    public bool Apply => apply;

    /// <summary>The member's inventory record as this run sees it: as read, then as recorded before each stage's writes.</summary>
    public StoredInventory Stored { get; set; } = stored;

    /// <summary>What the member holds on record: as read, then as this run last wrote it.</summary>
    public StoredInventory OnRecord { get; set; } = stored;

    /// <summary>Every object on record (what a prune may consider).</summary>
    public Inventory Recorded => Stored.Inventory;

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
        _stageErrors.GetOrAdd(StageByRef.TryGetValue(reference, out var stage) ? stage : ApplyOrder.StageOf(reference), _ => new()).Enqueue((reference, error));
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
        At(SyncResult.Failure(SyncPhase.Failed, Stored.Revision, $"stage {stage} {(partly ? "partly applied" : "not applied")}: {error}"), stage, Stored.Applying);

    /// <summary>
    /// The result of a run that stopped at a hook gate (<paramref name="message"/>: what it waits for): not failed, the
    /// revision not yet applied; the pair is driven again when a watched status changes.
    /// </summary>
    public SyncResult Waiting(ApplyStageKind stage, string message, HealthStatus health) =>
        At(new SyncResult(SyncPhase.OutOfSync, Stored.Revision, Prepared.Count, Written, 0, health, null, []) { HealthMessage = message }, stage, Unapplied);

    /// <summary>The result of a run stopped by a failed hook: the sync fails, naming the hook.</summary>
    public SyncResult HookFailed(ApplyStageKind stage, string message) =>
        At(SyncResult.Failure(SyncPhase.Failed, Stored.Revision, message), stage, Unapplied);

    /// <summary>The requested revision while it is not the applied one: a run stopped at a gate has written part of it.</summary>
    private string? Unapplied => Stored.Revision == Request.Revision ? null : Request.Revision;

    /// <summary><paramref name="result"/> of a run that stopped at <paramref name="stage"/>, with what it had partly written and its warnings.</summary>
    private SyncResult At(SyncResult result, ApplyStageKind stage, string? partialRevision) => result with
    {
        Stage = stage.ToString(),
        PartialRevision = partialRevision,
        Warnings = [.. Warnings.Distinct().Order(StringComparer.Ordinal)],
    };

    public SyncOutcome Outcome(ChangeSet plan, SyncResult result) =>
        new(plan, new Dictionary<ObjectRef, JsonObject>(DryRuns), new Dictionary<ObjectRef, string>(Errors), result);
}
