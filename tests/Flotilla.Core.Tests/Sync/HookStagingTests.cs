using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync;

/// <summary>Helm hooks as Argo CD maps them: their stages, delete policies, and how the planner and the gates treat them.</summary>
public sealed class HookStagingTests
{
    private const string Owner = "shop.web";

    private static Manifest Hooked(string apiVersion, string kind, string name, string? hook, string? deletePolicy = null, JsonObject? status = null)
    {
        var body = ManifestBuilder.Body(apiVersion, kind, name, "shop");
        var annotations = new JsonObject();
        if (hook is not null) annotations[ChartHook.HookAnnotation] = hook;
        if (deletePolicy is not null) annotations[ChartHook.DeletePolicyAnnotation] = deletePolicy;
        body["metadata"]!["annotations"] = annotations;
        if (kind == "Job") body["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["restartPolicy"] = "Never" } } };
        if (status is not null) body["status"] = status;
        Assert.True(ManifestValidator.TryCreate(body, new SourceLocation("chart"), out var manifest, out var errors), string.Join("; ", errors));
        return manifest;
    }

    private static DesiredObject Prepared(Manifest manifest) => DesiredObjectFactory.Create(manifest, namespaced: true, new SyncPolicy(), Owner, "shop/web");

    /// <summary>The prepared object as the server would answer it: labelled, with a uid and the given status.</summary>
    private static JsonObject Live(DesiredObject desired, JsonObject? status = null)
    {
        var live = desired.Body.DeepClone().AsObject();
        live["metadata"]!["uid"] = $"uid-{desired.Ref.Name}";
        if (status is not null) live["status"] = status.DeepClone();
        return live;
    }

    private static JsonObject Complete() => JsonNode.Parse("""{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}""")!.AsObject();

    private static JsonObject Failed() => JsonNode.Parse("""{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}""")!.AsObject();

    [Fact]
    public void Pre_hooks_come_after_cluster_definitions_and_before_resources_and_post_hooks_come_last()
    {
        var plan = ApplyStagePlanner.Plan(ManifestBuilder.Set(
            Hooked("batch/v1", "Job", "notify", "post-install,post-upgrade"),
            ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop"),
            ManifestBuilder.Manifest("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "guard"),
            Hooked("batch/v1", "Job", "migrate", "pre-install"),
            Hooked("v1", "ServiceAccount", "migrator", "pre-upgrade"),
            ManifestBuilder.Manifest("v1", "ConfigMap", "settings", "shop"),
            ManifestBuilder.Manifest("v1", "Namespace", "shop"),
            ManifestBuilder.Manifest("batch/v1", "Job", "plain", "shop")));

        Assert.Equal([ApplyStageKind.ClusterDefinitions, ApplyStageKind.PreSyncHooks, ApplyStageKind.Resources, ApplyStageKind.Webhooks, ApplyStageKind.PostSyncHooks],
            plan.Stages.Select(s => s.Kind));
        // Inside a hook stage the kind order still holds: the hook's ServiceAccount before its Job.
        Assert.Equal(["migrator", "migrate"], plan.Stages[1].Manifests.Select(m => m.Ref.Name));
        Assert.Equal(["settings", "web", "plain"], plan.Stages[2].Manifests.Select(m => m.Ref.Name));
        Assert.Equal(["notify"], plan.Stages[4].Manifests.Select(m => m.Ref.Name));
    }

    [Theory]
    [InlineData("pre-install", ApplyStageKind.PreSyncHooks)]
    [InlineData("pre-upgrade", ApplyStageKind.PreSyncHooks)]
    [InlineData("post-install", ApplyStageKind.PostSyncHooks)]
    [InlineData("post-upgrade", ApplyStageKind.PostSyncHooks)]
    [InlineData("post-install,pre-upgrade", ApplyStageKind.PreSyncHooks)]
    [InlineData("test", ApplyStageKind.Resources)]
    public void An_object_naming_several_hooks_takes_the_earliest_stage(string hook, ApplyStageKind expected)
    {
        var manifest = Hooked("batch/v1", "Job", "j", hook);

        Assert.Equal(expected, ApplyOrder.StageOf(manifest));
        Assert.Equal(expected, ApplyOrder.StageOf(manifest.Ref, Prepared(manifest).Body));
    }

    [Theory]
    [InlineData("pre-install", null, HookDeletePolicy.BeforeHookCreation)]
    [InlineData("pre-install", "", HookDeletePolicy.BeforeHookCreation)]
    [InlineData("pre-install", "hook-succeeded", HookDeletePolicy.HookSucceeded)]
    [InlineData("post-install", "before-hook-creation, hook-succeeded", HookDeletePolicy.BeforeHookCreation | HookDeletePolicy.HookSucceeded)]
    [InlineData("post-install", "hook-failed,hook-succeeded", HookDeletePolicy.HookFailed | HookDeletePolicy.HookSucceeded)]
    [InlineData("pre-install", "sometimes", HookDeletePolicy.BeforeHookCreation)]
    [InlineData(null, "hook-succeeded", HookDeletePolicy.None)]
    public void Delete_policies_are_parsed_with_Helms_default(string? hook, string? policy, HookDeletePolicy expected) =>
        Assert.Equal(expected, ChartHook.DeletePolicyOf(Hooked("batch/v1", "Job", "j", hook, policy).Object));

    [Fact]
    public void A_changed_hook_with_before_hook_creation_is_recreated_and_other_changes_are_updates()
    {
        var old = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install", "before-hook-creation"));
        var changed = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install,pre-upgrade", "before-hook-creation"));
        var succeededOnly = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-upgrade", "hook-succeeded"));
        var plainOld = Prepared(ManifestBuilder.Manifest("v1", "ConfigMap", "c", "shop"));
        var plainNew = Prepared(Hooked("v1", "ConfigMap", "c", null, "before-hook-creation"));

        var recreate = SyncPlanner.PlanObject(changed, Live(old), Owner, new SyncPolicy(), held: false);
        Assert.Equal((ChangeAction.Update, true), (recreate.Action, recreate.Recreate));
        Assert.Contains("recreated (before-hook-creation)", recreate.ToString());
        Assert.False(SyncPlanner.PlanObject(succeededOnly, Live(old), Owner, new SyncPolicy(), held: false).Recreate);
        Assert.False(SyncPlanner.PlanObject(plainNew, Live(plainOld), Owner, new SyncPolicy(), held: false).Recreate);
        // Unchanged content is never recreated: a level-triggered resync must not churn the hook.
        Assert.Equal(ChangeAction.Unchanged, SyncPlanner.PlanObject(old, Live(old, Complete()), Owner, new SyncPolicy(), held: false).Action);
    }

    [Fact]
    public void A_hook_deleted_after_it_ran_is_unchanged_while_its_content_is_and_created_again_when_it_changes()
    {
        var ran = Prepared(Hooked("batch/v1", "Job", "notify", "post-install", "hook-succeeded"));
        var next = Prepared(Hooked("batch/v1", "Job", "notify", "post-install,post-upgrade", "hook-succeeded"));
        var records = HookRecords.Empty.With(ran.Ref, ran.Hash, HookOutcome.Succeeded);
        var none = new Dictionary<ObjectRef, JsonObject>();

        var again = SyncPlanner.PlanStage(ApplyStageKind.PostSyncHooks, [ran], new SyncPlanInput([ran], none, new Inventory([ran.Ref]), Owner, new SyncPolicy()) { Hooks = records });
        var changed = SyncPlanner.PlanStage(ApplyStageKind.PostSyncHooks, [next], new SyncPlanInput([next], none, new Inventory([next.Ref]), Owner, new SyncPolicy()) { Hooks = records });

        Assert.Equal(ChangeAction.Unchanged, again.Changes.Single().Action);
        Assert.Contains("hook succeeded and was deleted", again.Changes.Single().Detail);
        Assert.Empty(again.Writes);
        Assert.Equal(ChangeAction.Create, changed.Changes.Single().Action);
    }

    [Fact]
    public void The_gate_after_hooks_waits_for_a_running_Job_and_names_it()
    {
        var hook = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install"));

        var verdict = HookGate.AfterHooks([hook], _ => Live(hook), HookRecords.Empty);

        Assert.Equal(HookGateState.Wait, verdict.State);
        Assert.StartsWith("waiting for hook Job shop/migrate", verdict.Message);
        Assert.Empty(verdict.Deletions);
    }

    [Fact]
    public void A_completed_hook_passes_and_hook_succeeded_deletes_it()
    {
        var kept = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install", "before-hook-creation"));
        var deleted = Prepared(Hooked("batch/v1", "Job", "seed", "pre-install", "hook-succeeded"));
        var live = new Dictionary<ObjectRef, JsonObject> { [kept.Ref] = Live(kept, Complete()), [deleted.Ref] = Live(deleted, Complete()) };

        var verdict = HookGate.AfterHooks([kept, deleted], live.GetValueOrDefault, HookRecords.Empty);

        Assert.Equal(HookGateState.Proceed, verdict.State);
        var deletion = Assert.Single(verdict.Deletions);
        Assert.Equal((deleted.Ref, deleted.Hash, HookOutcome.Succeeded, "uid-seed"), (deletion.Ref, deletion.Hash, deletion.Outcome, deletion.Live["metadata"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public void A_failed_hook_fails_the_sync_by_name_and_hook_failed_deletes_it_and_remembers_the_failure()
    {
        var hook = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install", "hook-failed"));

        var verdict = HookGate.AfterHooks([hook], _ => Live(hook, Failed()), HookRecords.Empty);

        Assert.Equal(HookGateState.Fail, verdict.State);
        Assert.StartsWith("hook Job shop/migrate failed: Job failed", verdict.Message);
        Assert.Equal(HookOutcome.Failed, Assert.Single(verdict.Deletions).Outcome);
        // Deleted after failing: the same content fails the next sync too, without running again.
        var later = HookGate.AfterHooks([hook], _ => null, HookRecords.Empty.With(hook.Ref, hook.Hash, HookOutcome.Failed));
        Assert.Equal(HookGateState.Fail, later.State);
        Assert.Contains("hook Job shop/migrate failed (hook failed and was deleted (hook-failed)", later.Message);
    }

    [Fact]
    public void Post_hooks_wait_until_everything_before_them_is_healthy()
    {
        var pre = Prepared(Hooked("batch/v1", "Job", "migrate", "pre-install", "hook-succeeded"));
        var web = Prepared(ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop"));
        var records = HookRecords.Empty.With(pre.Ref, pre.Hash, HookOutcome.Succeeded);
        var rolling = JsonNode.Parse("""{"observedGeneration":0}""")!.AsObject();
        var ready = JsonNode.Parse("""{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}""")!.AsObject();
        JsonObject WithGeneration(JsonObject status) { var live = Live(web, status); live["metadata"]!["generation"] = 1; return live; }

        var waiting = HookGate.BeforePostSync([pre, web], r => r.Equals(web.Ref) ? WithGeneration(rolling) : null, records);
        var going = HookGate.BeforePostSync([pre, web], r => r.Equals(web.Ref) ? WithGeneration(ready) : null, records);
        var missingHook = HookGate.BeforePostSync([pre, web], r => r.Equals(web.Ref) ? WithGeneration(ready) : null, HookRecords.Empty);

        Assert.Equal(HookGateState.Wait, waiting.State);
        Assert.Contains("post-sync hooks wait for Deployment/shop/web", waiting.Message);
        Assert.Equal(HookGateState.Proceed, going.State);
        Assert.Equal(HookGateState.Wait, missingHook.State);
    }

    [Fact]
    public void Hook_records_round_trip_and_forget_hooks_no_longer_in_the_inventory()
    {
        var a = ManifestBuilder.Ref("batch/v1", "Job", "my_job", "shop");
        var b = ManifestBuilder.Ref("batch/v1", "Job", "other", "shop");
        var records = HookRecords.Empty.With(a, "h1", HookOutcome.Succeeded).With(b, "h2", HookOutcome.Failed).With(a, "h3", HookOutcome.Succeeded);

        var text = records.Serialize();

        Assert.Equal("# flotilla hooks v1\nSucceeded h3 batch_Job_shop_my_job_v1\nFailed h2 batch_Job_shop_other_v1\n", text);
        Assert.Equal(records, HookRecords.Parse(text));
        Assert.Null(records.OutcomeOf(a, "h1"));
        Assert.Equal(HookOutcome.Succeeded, records.OutcomeOf(a, "h3"));
        Assert.Equal(1, records.Within(new Inventory([b])).Count);
        Assert.Throws<FormatException>(() => HookRecords.Parse("Done h1 batch_Job_shop_x_v1\n"));
    }
}
