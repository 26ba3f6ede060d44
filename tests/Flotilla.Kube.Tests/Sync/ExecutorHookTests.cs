using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;
using static Flotilla.Kube.Tests.Sync.SyncObjects;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>
/// Helm hooks against a fake member: pre hooks gate the resources, post hooks wait for everything before them, a
/// waiting sync is not a failed one, delete policies (before-hook-creation, hook-succeeded, hook-failed) and prune.
/// </summary>
public sealed class ExecutorHookTests
{
    private readonly FakeClusterClient _member = new();
    private readonly ClusterSyncExecutor _executor;

    public ExecutorHookTests() => _executor = new ClusterSyncExecutor(_member, parallelism: 1);

    private static readonly JsonObject Pre = HookJob("migrate", "pre-install,pre-upgrade");
    private static readonly JsonObject Settings = ConfigMap("settings");
    private static readonly JsonObject Post = HookJob("notify", "post-install,post-upgrade", "hook-succeeded");

    private void Finish(JsonObject job, string condition = "Complete") =>
        _member.Edit(Ref(job), live => live["status"] = JsonNode.Parse(condition == "Complete"
            ? """{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}"""
            : """{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}"""));

    private string? Uid(JsonObject body) => _member.Live(Ref(body))?["metadata"]?["uid"]?.GetValue<string>();

    private List<string> Writes() => _member.Calls.Where(c => c.Kind is CallKind.Apply or CallKind.Delete).Select(c => c.ToString()).ToList();

    // As the hub runs it: each run told the revision the last one reported applied.
    private async Task<SyncOutcome> SyncAsync(string revision, params JsonObject[] bodies)
    {
        var outcome = await _executor.RunAsync(Request(revision, bodies) with { AppliedRevision = _applied }, apply: true, CancellationToken.None);
        _applied = outcome.Result.AppliedRevision;
        return outcome;
    }

    private string? _applied;

    [Fact]
    public async Task Pre_hooks_complete_before_resources_and_post_hooks_run_last_then_hook_succeeded_deletes_them_for_good()
    {
        var waitingPre = await SyncAsync("r1", Post, Settings, Pre);

        Assert.Equal((SyncPhase.OutOfSync, HealthStatus.Progressing, "PreSyncHooks", "r1"),
            (waitingPre.Result.Phase, waitingPre.Result.Health, waitingPre.Result.Stage, waitingPre.Result.PartialRevision));
        Assert.Null(waitingPre.Result.AppliedRevision);
        Assert.StartsWith("waiting for hook Job shop/migrate", waitingPre.Result.HealthMessage);
        Assert.Equal(["Apply batch/Job/shop/migrate"], Writes());

        Finish(Pre);
        _member.ClearCalls();
        var waitingPost = await SyncAsync("r1", Post, Settings, Pre);

        Assert.Equal((SyncPhase.OutOfSync, "PostSyncHooks"), (waitingPost.Result.Phase, waitingPost.Result.Stage));
        Assert.StartsWith("waiting for hook Job shop/notify", waitingPost.Result.HealthMessage);
        Assert.Equal(["Apply ConfigMap/shop/settings", "Apply batch/Job/shop/notify"], Writes());

        var notifyUid = Uid(Post);
        Finish(Post);
        _member.ClearCalls();
        var done = await SyncAsync("r1", Post, Settings, Pre);

        Assert.Equal((SyncPhase.Synced, "r1", HealthStatus.Healthy), (done.Result.Phase, done.Result.AppliedRevision, done.Result.Health));
        Assert.Equal([$"Delete batch/Job/shop/notify uid={notifyUid}"], Writes());
        Assert.Null(_member.Live(Ref(Post)));
        // Recorded before the delete, so a run cut short in between never runs the hook again.
        var calls = _member.Calls.ToList();
        var recorded = calls.FindIndex(c => c.Kind == CallKind.WriteInventory && c.Inventory!.Hooks.Count == 1);
        Assert.InRange(recorded, 0, calls.FindIndex(c => c.Kind == CallKind.Delete) - 1);
        var hooks = _member.Inventory(Owner).Hooks;
        Assert.Equal(HookOutcome.Succeeded, Assert.Single(hooks.All).Outcome);
        Assert.Contains(Ref(Post), _member.Inventory(Owner).Inventory.Entries);

        // Level-triggered resyncs of the same content: the deleted hook is neither created again nor Missing.
        for (var i = 0; i < 2; i++)
        {
            _member.ClearCalls();
            var again = await SyncAsync("r1", Post, Settings, Pre);
            Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (again.Result.Phase, again.Result.Health));
            Assert.Empty(Writes());
            Assert.Contains(again.Plan.All, c => c.Ref.Equals(Ref(Post)) && c is { Action: ChangeAction.Unchanged, Detail: not null } && c.Detail.Contains("hook succeeded"));
        }
    }

    [Fact]
    public async Task A_changed_pre_hook_is_deleted_and_created_anew_and_an_unchanged_one_is_left_alone()
    {
        await SyncAsync("r1", Pre, Settings);
        Finish(Pre);
        await SyncAsync("r1", Pre, Settings);
        var oldUid = Uid(Pre);
        _member.ClearCalls();

        var unchanged = await SyncAsync("r2", Pre, Settings);
        Assert.Equal(SyncPhase.Synced, unchanged.Result.Phase);
        Assert.Empty(Writes());

        _member.ClearCalls();
        var changed = HookJob("migrate", "pre-install,pre-upgrade", command: "migrate --to v2");
        var outcome = await SyncAsync("r3", changed, Settings);

        Assert.Equal([$"Delete batch/Job/shop/migrate uid={oldUid}", "Apply batch/Job/shop/migrate"], Writes());
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.DryRun && Ref(changed).Equals(c.Object));
        Assert.NotEqual(oldUid, Uid(changed));
        // The new Job runs from the start: the sync waits for it again.
        Assert.Equal((SyncPhase.OutOfSync, "PreSyncHooks"), (outcome.Result.Phase, outcome.Result.Stage));
        Assert.Equal("r2", outcome.Result.AppliedRevision);
    }

    [Fact]
    public async Task A_changed_hook_without_before_hook_creation_is_refused_as_the_server_refuses_a_Job_update()
    {
        var kept = HookJob("migrate", "pre-install", "hook-failed");
        await SyncAsync("r1", kept, Settings);
        _member.ClearCalls();

        var outcome = await SyncAsync("r2", HookJob("migrate", "pre-install", "hook-failed", command: "other"), Settings);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Contains("field is immutable", outcome.Result.Error);
        Assert.Empty(Writes());
    }

    [Fact]
    public async Task A_failed_pre_hook_fails_the_sync_by_name_and_nothing_after_it_is_applied()
    {
        await SyncAsync("r1", Pre, Settings);
        Finish(Pre, "Failed");
        _member.ClearCalls();

        var outcome = await SyncAsync("r1", Pre, Settings);

        Assert.Equal((SyncPhase.Failed, "PreSyncHooks"), (outcome.Result.Phase, outcome.Result.Stage));
        Assert.StartsWith("hook Job shop/migrate failed: Job failed", outcome.Result.Error);
        Assert.Empty(Writes());
        Assert.Null(_member.Live(Ref(Settings)));
    }

    [Fact]
    public async Task Hook_failed_deletes_a_failed_hook_and_the_same_content_keeps_failing_without_running_again()
    {
        var hook = HookJob("migrate", "pre-install", "hook-failed");
        await SyncAsync("r1", hook, Settings);
        var uid = Uid(hook);
        Finish(hook, "Failed");
        _member.ClearCalls();

        var failed = await SyncAsync("r1", hook, Settings);
        Assert.Equal(SyncPhase.Failed, failed.Result.Phase);
        Assert.Equal([$"Delete batch/Job/shop/migrate uid={uid}"], Writes());

        _member.ClearCalls();
        var again = await SyncAsync("r1", hook, Settings);
        Assert.Equal(SyncPhase.Failed, again.Result.Phase);
        Assert.Contains("hook Job shop/migrate failed (hook failed and was deleted (hook-failed)", again.Result.Error);
        Assert.Empty(Writes());

        // New content runs it again.
        var fixedHook = HookJob("migrate", "pre-install", "hook-failed", command: "fixed");
        var rerun = await SyncAsync("r2", fixedHook, Settings);
        Assert.Equal(SyncPhase.OutOfSync, rerun.Result.Phase);
        Assert.NotNull(_member.Live(Ref(fixedHook)));
    }

    [Fact]
    public async Task A_hook_that_ran_and_was_deleted_is_no_orphan_and_one_removed_from_the_chart_is_pruned_and_forgotten()
    {
        var pre = HookJob("seed", "pre-install", "hook-succeeded");
        await SyncAsync("r1", pre, Pre, Settings);
        Finish(pre);
        Finish(Pre);
        var synced = await SyncAsync("r1", pre, Pre, Settings);
        Assert.Equal(SyncPhase.Synced, synced.Result.Phase);
        Assert.Null(_member.Live(Ref(pre)));
        Assert.Empty(synced.Plan.Prunes);
        var preUid = Uid(Pre);
        _member.ClearCalls();

        // Both hooks leave the chart: the one still there is pruned, the deleted one is simply dropped from the record.
        var outcome = await SyncAsync("r2", Settings);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Equal([$"Delete batch/Job/shop/migrate uid={preUid}"], Writes());
        Assert.Null(_member.Live(Ref(Pre)));
        Assert.Equal([Ref(Settings)], _member.Inventory(Owner).Inventory.Entries);
        Assert.Equal(0, _member.Inventory(Owner).Hooks.Count);
        Assert.Contains(outcome.Plan.Prunes, p => p.Ref.Equals(Ref(pre)) && p.Action == ChangeAction.PruneSkipped);
    }
}
