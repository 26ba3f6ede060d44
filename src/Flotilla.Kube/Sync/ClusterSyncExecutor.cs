using System.Collections.Concurrent;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>
/// Runs the <see cref="SyncPlanner"/>'s plan against one member, stage by stage: the inventory is written before a
/// stage's writes (with everything that stage may create), the stage is dry-run whole (one refused object leaves the
/// stage unwritten), then applied; CRDs are Established before the next stage is planned; prune comes last and deletes
/// only what the plan marks <see cref="ChangeAction.Prune"/>. With <c>apply: false</c> it is the preview
/// (<c>flotilla diff</c>): the same planning and dry-runs, no writes. One per member, for the process's life.
/// </summary>
public sealed partial class ClusterSyncExecutor(IClusterClient cluster, int parallelism = 32, DesiredObjects? prepared = null, TimeSpan? establishNudgeAfter = null)
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long an accepted CRD may take to be Established before its conditions are cleared to restart that (once).</summary>
    private readonly TimeSpan _establishNudgeAfter = establishNudgeAfter ?? TimeSpan.FromSeconds(8);

    // Kinds this member could not server-side apply (Kubernetes 1.20 resets the stream on an APIService): written
    // with create / merge patch from then on instead of upsetting the server on every sync.
    private readonly ConcurrentDictionary<ApiResource, bool> _noServerSideApply = new();

    private readonly DesiredObjects _prepared = prepared ?? new DesiredObjects();

    // What a plan last found unchanged: (object, owning bundle) → the live copy's resourceVersion and the desired hash it
    // matched. While neither moved, the object is still unchanged, and the next plan need not parse and compare it.
    private readonly ConcurrentDictionary<(ObjectRef Ref, string Owner), (string Version, string Hash)> _unchanged = new();

    // The final record of each owner's last run (its revision, what it pruned), written after that run reported: the
    // union recorded before each stage's writes already lists everything the member may hold, so a final record that
    // fails or is cut short loses nothing, and the owner's next run (which waits for it first) writes it again.
    private readonly ConcurrentDictionary<string, Task> _finalRecords = new(StringComparer.Ordinal);

    private static readonly TimeSpan FinalRecordTimeout = TimeSpan.FromSeconds(30);

    public async Task<SyncOutcome> RunAsync(SyncRequest request, bool apply, CancellationToken ct)
    {
        await FinalRecordAsync(request.Owner);
        var run = new SyncRun(request, apply, await cluster.ReadInventoryAsync(request.Owner, ct));
        // The record names the revision of its last change; the hub knows what this member applied since.
        if (request.AppliedRevision is { } applied) run.Stored = run.Stored with { Revision = applied };
        if (SyncPlanner.Refusal(request.Desired.Count, run.Stored.Inventory, request.Policy) is { } refusal)
            return run.Outcome(new ChangeSet([], [], refusal), SyncResult.Failure(SyncPhase.Failed, run.Stored.Revision, refusal));

        var stages = request.Desired.GroupBy(ApplyOrder.StageOf).ToDictionary(g => g.Key, g => g.ToList());
        if (request.Policy is { CreateNamespace: true, TargetNamespace: not null }) stages.TryAdd(ApplyStageKind.ClusterDefinitions, []);
        // Stages are planned in order and wait, unwritten, until one of them must be written before the next can be
        // planned or dry-run (it creates objects or CRDs); then every waiting stage is dry-run in one round and written
        // in order. A commit that only updates objects costs one round of dry-runs, however many stages it touches.
        // Hook stages are gates (HookGate): written at once, and nothing after them until their hooks are healthy; post
        // hooks only once everything before them is healthy. Not healthy yet ends the run as waiting, not failed.
        var waiting = new List<PlannedStage>();
        foreach (var (kind, manifests) in stages.OrderBy(s => s.Key))
        {
            if (apply && kind == ApplyStageKind.PostSyncHooks)
            {
                if (waiting.Count > 0 && await WriteStagesAsync(run, waiting, ct) is { } stoppedBefore) return stoppedBefore;
                waiting.Clear();
                var earlier = run.Prepared.Values.ToList();
                if (await PassGateAsync(run, kind, HookGate.BeforePostSync(earlier, run.Current, run.Stored.Hooks), ct) is { } held) return held;
            }
            var stage = await PlanStageAsync(run, kind, manifests, ct);
            waiting.Add(stage);
            var hooks = apply && kind is ApplyStageKind.PreSyncHooks or ApplyStageKind.PostSyncHooks;
            var blocked = apply && (stage.Plan.FirstBlocking is not null || run.HasStageErrors(kind));
            if (!blocked && !hooks && (!apply || !stage.NeededByLaterStages) && kind != stages.Keys.Max()) continue;
            if (await WriteStagesAsync(run, waiting, ct) is { } stopped) return stopped;
            waiting.Clear();
            if (hooks && await PassGateAsync(run, kind, HookGate.AfterHooks(stage.Desired, run.Current, run.Stored.Hooks), ct) is { } gated)
                return gated;
        }
        // Objects of an API group that failed discovery were left out of their stages while the rest went on: until they
        // are written too, nothing is pruned and the revision is not recorded as applied.
        if (apply && run.LeftOut() is { } leftOut)
            return run.Outcome(new ChangeSet(run.Stages, []), run.StoppedAt(leftOut.Stage, leftOut.Error, partly: true));
        // An object that failed to prepare is still desired: it must not be pruned.
        var desired = run.Stages.SelectMany(s => s.Changes).Select(c => c.Ref).Concat(run.Errors.Keys).ToHashSet();
        var prunes = await PlanPruneAsync(run.Recorded, desired, request.Owner, request.Policy, run.Kinds, ct);
        var plan = new ChangeSet(run.Stages, prunes);
        if (!apply) return run.Outcome(plan, SyncResult.Failure(SyncPhase.Pending, run.Stored.Revision, "preview only"));

        var (pruned, undeleted) = await DeleteAsync(prunes, run.Kinds, ct);
        foreach (var change in prunes) _unchanged.TryRemove((change.Ref, request.Owner), out _);
        // With prune off, objects still there stay on record, so turning prune on later can remove them; so does an
        // object whose delete failed, so the next sync prunes it.
        var kept = prunes.Where(c => c.Action == ChangeAction.PruneSkipped && c.Live is not null && !request.Policy.Prune).Select(c => c.Ref)
            .Concat(undeleted.Select(u => u.Ref));
        var inventory = new Inventory(plan.Desired.Concat(kept));
        // A hook removed from the chart is forgotten with its inventory entry: back in the chart, it runs again.
        var final = new StoredInventory(inventory, request.Revision) { Hooks = run.Stored.Hooks.Within(inventory) };
        // The run reports once its writes are done and health is read (from the cache); the final record follows, when
        // it changes what the member holds on record: a commit that only updated objects (most commits) leaves the record
        // and the revision it names as they are, and saves each member a write of the whole inventory per commit.
        if (!final.Equals(run.OnRecord with { Revision = request.Revision })) _finalRecords[request.Owner] = WriteFinalRecordAsync(request, final);
        var result = await CompletedAsync(run, plan, pruned, ct);
        if (undeleted.Count == 0) return run.Outcome(plan, result);
        foreach (var (reference, error, _) in undeleted) run.Errors[reference] = error;
        var more = undeleted.Count > 1 ? $" (and {undeleted.Count - 1} more)" : "";
        return run.Outcome(plan, result with { Phase = SyncPhase.Failed, Error = $"prune incomplete: {undeleted[0].Error}{more}" });
    }

    /// <summary>
    /// Removes what a bundle put on this member (it left the placement, or the bundle is being deleted). With
    /// <paramref name="deleteObjects"/> every inventory object carrying the bundle's label is deleted — the same rule
    /// as a sync's prune — otherwise the objects stay, unmanaged. Then the inventory goes. Returns how many were deleted.
    /// </summary>
    public async Task<int> RemoveAsync(string owner, bool deleteObjects, CancellationToken ct)
    {
        await FinalRecordAsync(owner);
        var deleted = 0;
        var (prunes, kinds) = await PlanRemovalAsync(owner, deleteObjects, ct);
        if (prunes.Count > 0)
        {
            var (count, undeleted) = await DeleteAsync(prunes, kinds, ct);
            // The inventory stays until every delete went through: the removal is retried.
            if (undeleted.Count > 0) ExceptionDispatchInfo.Throw(undeleted[0].Exception);
            deleted = count;
        }
        await cluster.DeleteInventoryAsync(owner, ct);
        return deleted;
    }

    /// <summary>
    /// What <see cref="RemoveAsync"/> would delete, as a preview (<c>flotilla plan</c> for a cluster the bundle leaves):
    /// the same plan, no writes.
    /// </summary>
    public async Task<SyncOutcome> PreviewRemovalAsync(string owner, bool deleteObjects, CancellationToken ct)
    {
        var (prunes, _) = await PlanRemovalAsync(owner, deleteObjects, ct);
        return new SyncOutcome(new ChangeSet([], prunes), new Dictionary<ObjectRef, JsonObject>(), new Dictionary<ObjectRef, string>(),
            SyncResult.Failure(SyncPhase.Pending, null, "preview only"));
    }

    private async Task<(IReadOnlyList<PlannedChange> Prunes, Dictionary<ObjectRef, ApiResource> Kinds)> PlanRemovalAsync(string owner, bool deleteObjects, CancellationToken ct)
    {
        await FinalRecordAsync(owner);
        var stored = await cluster.ReadInventoryAsync(owner, ct);
        var kinds = new Dictionary<ObjectRef, ApiResource>();
        if (!deleteObjects || stored.Inventory.Count == 0) return ([], kinds);
        return (await PlanPruneAsync(stored.Inventory, new HashSet<ObjectRef>(), owner, new SyncPolicy(Prune: true, AllowEmpty: true), kinds, ct), kinds);
    }

    /// <summary>
    /// Waits for the final record of <paramref name="owner"/>'s last run, so a run reads what that one recorded. A
    /// record that failed is not this run's error: the member still holds the union recorded before the last run's
    /// stages (a superset), and this run records again.
    /// </summary>
    private async Task FinalRecordAsync(string owner)
    {
        if (!_finalRecords.TryGetValue(owner, out var pending)) return;
        try { await pending; }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException) { }
        _finalRecords.TryRemove(KeyValuePair.Create(owner, pending));
    }

    private async Task WriteFinalRecordAsync(SyncRequest request, StoredInventory final)
    {
        // Not the run's token: the run is over, and its deadline with it.
        using var timeout = new CancellationTokenSource(FinalRecordTimeout);
        await cluster.WriteInventoryAsync(request.Owner, request.BundleKey, final, timeout.Token);
    }

    /// <summary>One planned stage with its prepared objects, their resources and the live objects it was planned from.</summary>
    private sealed record PlannedStage(StagePlan Plan, IReadOnlyList<DesiredObject> Desired, Dictionary<ObjectRef, ApiResource> Kinds, IReadOnlyDictionary<ObjectRef, JsonObject> Live)
    {
        /// <summary>
        /// Whether a later stage may need this one written before it can be planned or dry-run: it creates objects (a
        /// namespace, say) or writes CRDs, or a CRD of it is not Established yet.
        /// </summary>
        public bool NeededByLaterStages => Plan.WaitsForEstablishedDefinitions || Plan.Writes.Any(c => c.Action == ChangeAction.Create);
    }

    private async Task<PlannedStage> PlanStageAsync(SyncRun run, ApplyStageKind kind, List<Manifest> manifests, CancellationToken ct)
    {
        var (desired, kinds) = await PrepareAsync(run, kind, manifests, ct);
        // A bundle that renders its target namespace itself keeps its own object (with its labels): two bodies for one
        // object would fight, and every resync would write it twice.
        if (kind == ApplyStageKind.ClusterDefinitions && run.Request.Policy is { CreateNamespace: true, TargetNamespace: { } target }
            && DesiredObjectFactory.TargetNamespace(target, run.Request.Owner, run.Request.BundleKey) is var created && !desired.Any(d => d.Ref.Equals(created.Ref)))
        {
            desired.Insert(0, created);
            kinds[created.Ref] = new ApiResource("", "v1", "Namespace", "namespaces", false);
        }
        foreach (var (reference, resource) in kinds) run.Kinds[reference] = resource;
        var live = await cluster.ManagedAsync([.. kinds.Values.Distinct()], ct);
        foreach (var d in desired)
        {
            run.Prepared[d.Ref] = d;
            run.PlannedFrom(d.Ref, live);
        }
        var owner = run.Request.Owner;
        var versions = live as LiveObjects;
        var knownUnchanged = versions is null ? [] : desired
            .Where(d => _unchanged.TryGetValue((d.Ref, owner), out var seen) && seen.Hash == d.Hash && seen.Version == versions.VersionOf(d.Ref))
            .Select(d => d.Ref).ToHashSet();
        var input = new SyncPlanInput(desired, live, run.Recorded, owner, run.Request.Policy)
        {
            Held = run.Request.Held, KnownUnchanged = knownUnchanged, Hooks = run.Stored.Hooks,
        };
        var stage = SyncPlanner.PlanStage(kind, desired, input);
        if (versions is not null)
        {
            // An object known unchanged is planned without its live copy and is remembered already: nothing to do for it.
            foreach (var change in stage.Changes.Where(c => c.Action != ChangeAction.Unchanged || c.Live is not null))
            {
                // Only a full comparison that found nothing different is remembered (not an ignored drift).
                if (change is { Action: ChangeAction.Unchanged, Live: not null, Detail: null } && versions.VersionOf(change.Ref) is { } version)
                    _unchanged[(change.Ref, owner)] = (version, run.Prepared[change.Ref].Hash);
                else if (change.Action != ChangeAction.Unchanged) _unchanged.TryRemove((change.Ref, owner), out _);
            }
        }
        // The note stays while an object is managed that way, not only on the sync that first fell back.
        if (!_noServerSideApply.IsEmpty)
            foreach (var change in stage.Changes.Where(c => _noServerSideApply.ContainsKey(kinds[c.Ref]))) run.Warnings.Add(FallbackNote(change.Ref, kinds[change.Ref]));
        return new PlannedStage(stage, desired, kinds, live);
    }

    /// <summary>
    /// Dry-runs the writes of <paramref name="stages"/> in one round, then (when applying) writes them stage by stage:
    /// a stage with a refused object, or one blocked by its plan, is not written, and nothing after it is. Returns the
    /// run's outcome when it stopped at a stage, or null when every stage went through.
    /// </summary>
    private async Task<SyncOutcome?> WriteStagesAsync(SyncRun run, List<PlannedStage> stages, CancellationToken ct)
    {
        var dryRunnable = run.Apply ? stages.TakeWhile(s => s.Plan.FirstBlocking is null && !run.HasStageErrors(s.Plan.Kind)).ToList() : stages;
        // A recreated hook is not dry-run: its changed content is what the server refuses as an update (a Job's template
        // is immutable), and the create that replaces it cannot be dry-run while the old one is there.
        var dryRuns = await DryRunAsync(run, dryRunnable.SelectMany(s => s.Plan.Writes.Where(c => !c.Recreate).Select(c => (Change: c, Kind: s.Kinds[c.Ref]))).ToList(), ct);
        foreach (var stage in stages)
        {
            var plan = stage.Plan with { Changes = stage.Plan.Changes.Select(c => dryRuns.GetValueOrDefault(c.Ref) ?? c).ToList() };
            run.Stages.Add(plan);
            if (!run.Apply) continue;
            run.StagePartlyWritten = false;
            if ((run.StageError = run.TakeStageError(plan)) is null) await ApplyStageAsync(run, stage with { Plan = plan }, ct);
            if (run.StageError is { } error) return run.Outcome(new ChangeSet(run.Stages, []), run.StoppedAt(plan.Kind, error, run.StagePartlyWritten));
        }
        return null;
    }

    /// <summary>Server-side dry-runs of <paramref name="writes"/>, all at once: each change refined by its dry-run (or turned into a conflict).</summary>
    private async Task<ConcurrentDictionary<ObjectRef, PlannedChange>> DryRunAsync(SyncRun run, List<(PlannedChange Change, ApiResource Kind)> writes, CancellationToken ct)
    {
        var refined = new ConcurrentDictionary<ObjectRef, PlannedChange>();
        await Parallel.ForEachAsync(writes, Options(ct), async (write, token) =>
        {
            var dryRun = await WriteAsync(run, write.Kind, write.Change, dryRun: true, token);
            if (dryRun is not null) refined[write.Change.Ref] = SyncPlanner.AfterDryRun(write.Change, dryRun);
            else if (run.Conflicts.TryGetValue(write.Change.Ref, out var conflict)) refined[write.Change.Ref] = conflict;
        });
        return refined;
    }

    /// <summary>Writes one dry-run stage: its inventory record first, then its objects; its CRDs Established before the next stage is planned.</summary>
    private async Task ApplyStageAsync(SyncRun run, PlannedStage stage, CancellationToken ct)
    {
        var written = new HashSet<ObjectRef>();
        var writes = stage.Plan.Writes.ToList();
        if (writes.Count > 0)
        {
            await RecordAsync(run, stage.Plan.Kind, stage.Plan, ct);
            await Parallel.ForEachAsync(writes, Options(ct), async (change, token) =>
            {
                if (change.Recreate && !await DeleteForRecreateAsync(run, stage.Kinds[change.Ref], change, token)) return;
                // What the server stored from this apply is this desired object, unchanged until its resourceVersion moves.
                if (await WriteAsync(run, stage.Kinds[change.Ref], change, dryRun: false, token) is not { } stored) return;
                run.Wrote(change.Ref, stored);
                if (stored["metadata"]?["resourceVersion"]?.GetValue<string>() is { } version)
                    _unchanged[(change.Ref, run.Request.Owner)] = (version, DesiredObject.HashOf(change.Desired!));
            });
            run.Written += writes.Count;
            written.UnionWith(writes.Select(c => c.Ref));
            // A write refused after a clean dry-run (an admission webhook, a quota, a lost race) stops here: the revision
            // is partly applied, not applied, and the next stage must not build on it.
            if ((run.StageError = run.TakeStageError(stage.Plan)) is not null)
            {
                run.StagePartlyWritten = true;
                return;
            }
        }
        if (stage.Plan.WaitsForEstablishedDefinitions)
        {
            // A CRD written now, or one already there but not Established yet (a sync interrupted right after writing
            // it, a server still starting), must be served before the next stage is planned.
            var pending = stage.Plan.Changes
                .Where(c => c.Ref is { Kind: "CustomResourceDefinition", Group: "apiextensions.k8s.io" })
                .Where(c => written.Contains(c.Ref) || !IsEstablished(stage.Live.GetValueOrDefault(c.Ref)))
                .Select(c => (stage.Kinds[c.Ref], c.Ref)).ToList();
            if (pending.Count > 0)
            {
                await WaitEstablishedAsync(pending, ct);
                cluster.InvalidateDiscovery();
            }
        }
    }

    /// <summary>
    /// Resolves each manifest's resource through discovery and prepares its body. A kind the server does not serve,
    /// or whose API group fails discovery (an unavailable APIService), is that object's error only. A kind not served
    /// stops the stage like a refusal; a group that fails discovery leaves only its objects out and the stage goes on.
    /// </summary>
    private async Task<(List<DesiredObject> Desired, Dictionary<ObjectRef, ApiResource> Kinds)> PrepareAsync(SyncRun run, ApplyStageKind stage,
        List<Manifest> manifests, CancellationToken ct)
    {
        var desired = new List<DesiredObject>();
        var kinds = new Dictionary<ObjectRef, ApiResource>();
        foreach (var manifest in manifests)
        {
            ApiResource? resource;
            try { resource = await cluster.ResourceForAsync(manifest.Ref.ApiVersion, manifest.Ref.Kind, ct); }
            catch (KubeApiException e) when (e.StatusCode != HttpStatusCode.Unauthorized)
            {
                run.LeaveOut(stage, manifest.Ref, $"{manifest.Ref} ({manifest.Source}): discovery of API group {manifest.Ref.Group} failed, so its objects wait: {e.Message}");
                continue;
            }
            if (resource is null)
            {
                run.Fail(manifest.Ref, $"{manifest.Ref} ({manifest.Source}): this cluster serves no kind {manifest.Ref.Kind} in {manifest.Ref.ApiVersion}");
                continue;
            }
            var prepared = _prepared.For(manifest, resource.Namespaced, run.Request.Policy, run.Request.Owner, run.Request.BundleKey);
            run.StageByRef[prepared.Ref] = stage;
            desired.Add(prepared);
            foreach (var warning in prepared.Warnings) run.Warnings.Add(warning);
            kinds[prepared.Ref] = resource;
        }
        return (desired, kinds);
    }

    /// <summary>
    /// Before a stage writes, the inventory holds everything it may create, so any failure leaves it all on record.
    /// A stage that creates nothing new (most commits) has nothing to add: the member is not written, and the stage
    /// and partially applied revision are known to this run only (they are what its status shows).
    /// </summary>
    private async Task RecordAsync(SyncRun run, ApplyStageKind kind, StagePlan stage, CancellationToken ct)
    {
        // The stage's entries replace recorded ones of the same identity (the version may have changed); when every one
        // is listed as it is, the union is what is recorded, and building it would only cost a sort of the inventory.
        var union = stage.Changes.All(c => run.Recorded.Lists(c.Ref)) ? run.Recorded : Union(run.Recorded, stage.Changes.Select(c => c.Ref).ToHashSet());
        var record = new StoredInventory(union, run.Stored.Revision, run.Request.Revision, kind.ToString()) { Hooks = run.Stored.Hooks };
        if (!union.Equals(run.Recorded)) await WriteRecordAsync(run, record, ct);
        else run.Stored = record;
    }

    /// <summary>Writes <paramref name="record"/> to the member during a run: what the member holds, and the run's view, from then on.</summary>
    private async Task WriteRecordAsync(SyncRun run, StoredInventory record, CancellationToken ct)
    {
        await cluster.WriteInventoryAsync(run.Request.Owner, run.Request.BundleKey, record, ct);
        run.Stored = run.OnRecord = record;
    }

    private static Inventory Union(Inventory recorded, HashSet<ObjectRef> staged) => new(recorded.Entries.Where(e => !staged.Contains(e)).Concat(staged));

    /// <summary>
    /// Dry-runs or writes one object. A refusal is the object's error, a field conflict becomes a
    /// <see cref="ChangeAction.Conflict"/>, and a transport error is the object's error as long as the member still
    /// answers (after one retry, and for a server-side apply one more try with create / merge patch); only a member that
    /// stopped answering fails the whole sync.
    /// </summary>
    private async Task<JsonObject?> WriteAsync(SyncRun run, ApiResource kind, PlannedChange change, bool dryRun, CancellationToken ct)
    {
        var method = _noServerSideApply.ContainsKey(kind) ? WriteMethod.CreateOrMergePatch : WriteMethod.ServerSideApply;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await cluster.WriteAsync(kind, change.Desired!, method, dryRun, change.Force, ct);
                if (dryRun) run.DryRuns[change.Ref] = result;
                if (method == WriteMethod.CreateOrMergePatch)
                {
                    _noServerSideApply[kind] = true;
                    run.Warnings.Add(FallbackNote(change.Ref, kind));
                }
                return result;
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict && e.Reason == "Conflict" && method == WriteMethod.ServerSideApply)
            {
                var manager = ConflictManager.From(e.Message);
                run.Conflicts[change.Ref] = SyncPlanner.Conflicted(change, e.Message, manager);
                run.Fail(change.Ref, $"conflict with {manager ?? "another field manager"} (set spec.sync.force to take the fields): {e.Message}");
                return null;
            }
            catch (KubeApiException e) when (e.StatusCode != HttpStatusCode.Unauthorized)
            {
                run.Fail(change.Ref, e.Message);
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                if (!await cluster.AnswersAsync(ct)) throw new ClusterUnreachableException("the cluster stopped answering during the sync; kept as applied", e);
                // Once may be the wire. Twice on a server-side apply while the member answers is how a server that cannot
                // server-side apply this kind answers (Kubernetes 1.20 resets the stream on an APIService): the kind is
                // written with create / merge patch from then on — but only once that worked, so a broken object or a
                // passing fault never turns a whole kind away from server-side apply.
                if (attempt == 0) continue;
                if (attempt == 1 && method == WriteMethod.ServerSideApply)
                {
                    method = WriteMethod.CreateOrMergePatch;
                    continue;
                }
                run.Fail(change.Ref, $"{change.Ref}: the request failed ({e.Message}) although the cluster answers");
                return null;
            }
        }
    }

    /// <summary>
    /// Plans the prune of <paramref name="recorded"/> against <paramref name="desired"/>, resolving (into
    /// <paramref name="kinds"/>) the kinds of the candidates. Waits for the cache of each kind to have finished its
    /// first list: never a delete decided on a partial view.
    /// </summary>
    private async Task<IReadOnlyList<PlannedChange>> PlanPruneAsync(Inventory recorded, IReadOnlySet<ObjectRef> desired, string owner, SyncPolicy policy,
        Dictionary<ObjectRef, ApiResource> kinds, CancellationToken ct)
    {
        var candidates = recorded.Entries.Where(e => !desired.Contains(e)).ToList();
        foreach (var entry in candidates)
            if (await cluster.ResourceForAsync(entry.ApiVersion, entry.Kind, ct) is { } resource) kinds[entry] = resource;
        var live = await cluster.ManagedAsync([.. candidates.Where(kinds.ContainsKey).Select(c => kinds[c]).Distinct()], ct);
        return SyncPlanner.PlanPrune(recorded, desired, live, owner, policy);
    }

    /// <summary>
    /// Deletes what the plan marks Prune, in its order (each only while it still has the uid that was planned): how many
    /// went, and the objects whose delete died on the wire while the member still answers (that object's error, like a
    /// write's); a member that stopped answering fails the whole run.
    /// </summary>
    private async Task<(int Deleted, List<(ObjectRef Ref, string Error, Exception Exception)> Undeleted)> DeleteAsync(IEnumerable<PlannedChange> prunes,
        IReadOnlyDictionary<ObjectRef, ApiResource> kinds, CancellationToken ct)
    {
        var deleted = 0;
        var undeleted = new List<(ObjectRef, string, Exception)>();
        foreach (var change in prunes.Where(c => c.Action == ChangeAction.Prune))
        {
            try
            {
                if (await cluster.DeleteAsync(kinds[change.Ref], change.Ref, change.Live?["metadata"]?["uid"]?.GetValue<string>(), ct)) deleted++;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                if (!await cluster.AnswersAsync(ct)) throw new ClusterUnreachableException("the cluster stopped answering during the prune; the rest stays on record", e);
                undeleted.Add((change.Ref, $"{change.Ref}: the delete failed ({e.Message}) although the cluster answers; kept on record", e));
            }
        }
        return (deleted, undeleted);
    }

    private async Task<SyncResult> CompletedAsync(SyncRun run, ChangeSet plan, int pruned, CancellationToken ct)
    {
        var live = await cluster.ManagedAsync([.. plan.Desired.Select(r => run.Kinds[r]).Distinct()], ct);
        // A hook its policy deleted after it succeeded is absent as expected, not Missing.
        var expected = plan.Desired.Where(r => live.ContainsKey(r) || !run.Prepared.TryGetValue(r, out var d)
            || run.Stored.Hooks.OutcomeOf(r, d.Hash) != HookOutcome.Succeeded);
        Func<ObjectRef, HealthAssessment> healthOf = live is LiveObjects cached ? cached.HealthOf : r => HealthAssessor.Assess(live.GetValueOrDefault(r));
        var health = HealthAggregator.Worst(expected.Select(r => (r, healthOf(r))));
        var drift = plan.All.Where(c => c.Action is ChangeAction.DriftCorrect or ChangeAction.DriftReport)
            .Select(c => new DriftRecord(c.Ref, c.Detail ?? "", c.Manager, c.Action == ChangeAction.DriftCorrect, run.Request.Held(c.Ref))).ToList();
        var phase = drift.Any(d => !d.Corrected) ? SyncPhase.OutOfSync : SyncPhase.Synced;
        return new SyncResult(phase, run.Request.Revision, plan.Desired.Count(), run.Written, pruned, health.Status, null, drift)
        {
            HealthMessage = health.Status == HealthStatus.Healthy ? null : health.Message,
            Warnings = run.Warnings.Distinct().Order(StringComparer.Ordinal).ToList(),
        };
    }

    private async Task WaitEstablishedAsync(IEnumerable<(ApiResource Kind, ObjectRef Ref)> crds, CancellationToken ct)
    {
        foreach (var (kind, reference) in crds)
        {
            var started = DateTime.UtcNow;
            var restarted = false;
            while (true)
            {
                var crd = await cluster.GetAsync(kind, reference, ct);
                if (IsEstablished(crd)) break;
                if (DateTime.UtcNow > started + EstablishTimeout) throw new TimeoutException($"{reference}: not Established after {EstablishTimeout.TotalSeconds:0}s");
                // Kubernetes persists "names accepted, installing" and only then establishes, from an in-memory queue fed by
                // updates of the CRD: a server stopped in between comes back with the CRD stuck there until something
                // updates it. Once, after a grace, the executor does (its Established condition rewritten as installing).
                if (!restarted && DateTime.UtcNow > started + _establishNudgeAfter && IsInstalling(crd))
                {
                    await cluster.RestartEstablishingAsync(kind, crd!, ct);
                    restarted = true;
                }
                await Task.Delay(100, ct);
            }
        }
    }

    private static bool IsInstalling(JsonObject? crd) =>
        (crd?["status"]?["conditions"] as JsonArray)?.Any(c =>
            c?["type"]?.GetValue<string>() == "NamesAccepted" && c["status"]?.GetValue<string>() == "True") == true;

    private static string FallbackNote(ObjectRef reference, ApiResource kind) =>
        $"{reference}: this cluster cannot server-side apply {kind.Kind}; written with create / merge patch";

    private static bool IsEstablished(JsonObject? crd) =>
        (crd?["status"]?["conditions"] as JsonArray)?.Any(c =>
            c?["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") == true;

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
}
