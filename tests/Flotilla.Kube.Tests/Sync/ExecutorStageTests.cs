using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;
using static Flotilla.Kube.Tests.Sync.SyncObjects;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>The executor's stage rules against a fake member: order, inventory first, dry-run before apply, no-op resync.</summary>
public sealed class ExecutorStageTests
{
    private readonly FakeClusterClient _member = new();

    [Fact]
    public async Task Stages_run_in_order_and_each_is_recorded_in_the_inventory_before_its_writes()
    {
        var old = ConfigMap("old");
        var oldUid = _member.Put(Labelled(old, Owner));
        _member.PutInventory(Owner, new StoredInventory(new Inventory([Ref(old)]), "r0"));
        var ns = Namespace("shop");
        var cm = ConfigMap("a");
        var webhook = Webhook("guard");

        var outcome = await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r1", webhook, cm, ns), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Equal(
        [
            "ReadInventory ",
            "DryRun Namespace/shop",
            "inventory [ConfigMap/shop/old, Namespace/shop] applying=r1 stage=ClusterDefinitions revision=r0",
            "Apply Namespace/shop",
            "DryRun ConfigMap/shop/a",
            "inventory [ConfigMap/shop/a, ConfigMap/shop/old, Namespace/shop] applying=r1 stage=Resources revision=r0",
            "Apply ConfigMap/shop/a",
            "DryRun admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard",
            "inventory [ConfigMap/shop/a, ConfigMap/shop/old, Namespace/shop, admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard] applying=r1 stage=Webhooks revision=r0",
            "Apply admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard",
            $"Delete ConfigMap/shop/old uid={oldUid}",
            "inventory [ConfigMap/shop/a, Namespace/shop, admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard] applying= stage= revision=r1",
        ], _member.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task A_commit_that_only_updates_objects_leaves_the_record_unwritten_since_it_lists_the_same_objects()
    {
        var ns = Namespace("shop");
        var cm = ConfigMap("a");
        await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r1", ns, cm), apply: true, CancellationToken.None);
        _member.ClearCalls();

        var outcome = await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r2", Namespace("shop"), ConfigMap("a", value: "2")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Equal("r2", outcome.Result.AppliedRevision);
        Assert.Equal(["ReadInventory ", "DryRun ConfigMap/shop/a", "Apply ConfigMap/shop/a"], _member.Calls.Select(c => c.ToString()));
        // The record names the revision of its last change.
        Assert.Equal("r1", _member.Inventory(Owner).Revision);
    }

    [Fact]
    public async Task A_commit_that_adds_an_object_records_it_before_its_stage_and_the_new_revision_after()
    {
        await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r1", Namespace("shop"), ConfigMap("a")), apply: true, CancellationToken.None);
        await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r2", Namespace("shop"), ConfigMap("a", value: "2")) with { AppliedRevision = "r1" }, apply: true, CancellationToken.None);
        _member.ClearCalls();

        var outcome = await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(
            Request("r3", Namespace("shop"), ConfigMap("a", value: "2"), ConfigMap("b")) with { AppliedRevision = "r2" }, apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Equal(
        [
            "ReadInventory ",
            "DryRun ConfigMap/shop/b",
            "inventory [ConfigMap/shop/a, ConfigMap/shop/b, Namespace/shop] applying=r3 stage=Resources revision=r2",
            "Apply ConfigMap/shop/b",
            "inventory [ConfigMap/shop/a, ConfigMap/shop/b, Namespace/shop] applying= stage= revision=r3",
        ], _member.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task A_failed_run_reports_as_applied_the_revision_the_hub_saw_applied_not_the_older_one_on_record()
    {
        await new ClusterSyncExecutor(_member).RunAsync(Request("r1", ConfigMap("a")), apply: true, CancellationToken.None);
        await new ClusterSyncExecutor(_member).RunAsync(Request("r2", ConfigMap("a", value: "2")) with { AppliedRevision = "r1" }, apply: true, CancellationToken.None);
        _member.Refuse(Ref(ConfigMap("a")), "admission webhook said no");
        var broken = Request("r3", ConfigMap("a", value: "3"));

        var known = await new ClusterSyncExecutor(_member).RunAsync(broken with { AppliedRevision = "r2" }, apply: true, CancellationToken.None);
        var unknown = await new ClusterSyncExecutor(_member).RunAsync(broken, apply: true, CancellationToken.None);

        Assert.Equal((SyncPhase.Failed, "r2"), (known.Result.Phase, known.Result.AppliedRevision));
        // Without the hub's knowledge (its first run after a restart), the record's revision is what there is.
        Assert.Equal((SyncPhase.Failed, "r1"), (unknown.Result.Phase, unknown.Result.AppliedRevision));
    }

    [Fact]
    public async Task A_commit_that_only_updates_dry_runs_every_stage_in_one_round_then_applies_stage_by_stage()
    {
        await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r1", Namespace("shop"), ConfigMap("a"), Webhook("guard")), apply: true, CancellationToken.None);
        _member.ClearCalls();

        var outcome = await new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(
            Request("r2", Annotated(Namespace("shop"), "2"), ConfigMap("a", value: "2"), Annotated(Webhook("guard"), "2")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Equal(
        [
            "ReadInventory ",
            "DryRun Namespace/shop", "DryRun ConfigMap/shop/a", "DryRun admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard",
            "Apply Namespace/shop", "Apply ConfigMap/shop/a", "Apply admissionregistration.k8s.io/ValidatingWebhookConfiguration/guard",
        ], _member.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task An_object_found_unchanged_is_not_compared_again_until_its_resourceVersion_or_its_desired_object_moves()
    {
        var executor = new ClusterSyncExecutor(_member, parallelism: 1);
        var cm = ConfigMap("a");
        await executor.RunAsync(Request("r1", cm), apply: true, CancellationToken.None);
        // What the apply stored is known: the resync right after it reads nothing.
        Assert.Null((await executor.RunAsync(Request("r1", cm), apply: true, CancellationToken.None)).Plan.All.Single().Live);

        // Edited without a new resourceVersion (no real server does that): the executor trusts what it saw at that version.
        _member.Edit(Ref(cm), o => o["data"]!["value"] = "tampered", newVersion: false);
        var trusted = await executor.RunAsync(Request("r1", cm), apply: true, CancellationToken.None);
        Assert.Equal(ChangeAction.Unchanged, trusted.Plan.All.Single().Action);
        Assert.Null(trusted.Plan.All.Single().Live);

        // A real edit moves the resourceVersion: compared again, the drift is found and corrected.
        _member.Edit(Ref(cm), o => o["data"]!["value"] = "edited");
        _member.ClearCalls();
        var corrected = await executor.RunAsync(Request("r1", cm), apply: true, CancellationToken.None);
        Assert.Equal(ChangeAction.DriftCorrect, corrected.Plan.All.Single().Action);
        Assert.Equal("1", _member.Live(Ref(cm))!["data"]!["value"]!.GetValue<string>());

        // A new desired object (another hash) is compared too, whatever the version.
        var changed = await executor.RunAsync(Request("r2", ConfigMap("a", value: "2")), apply: true, CancellationToken.None);
        Assert.Equal(ChangeAction.Update, changed.Plan.All.Single().Action);
    }

    [Fact]
    public async Task A_refusal_in_a_later_stage_of_an_update_lets_the_stages_before_it_be_written_and_nothing_after()
    {
        await new ClusterSyncExecutor(_member).RunAsync(Request("r1", Namespace("shop"), ConfigMap("a"), Webhook("guard")), apply: true, CancellationToken.None);
        _member.ClearCalls();
        var cm = ConfigMap("a", value: "2");
        _member.Refuse(Ref(cm), "ConfigMap \"a\" is invalid: data[bad key]: Invalid value: \"bad key\"");

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(
            Request("r2", Annotated(Namespace("shop"), "2"), cm, Annotated(Webhook("guard"), "2")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Equal("Resources", outcome.Result.Stage);
        Assert.Equal("r1", outcome.Result.AppliedRevision);
        Assert.Contains("stage Resources not applied", outcome.Result.Error);
        Assert.Equal(["Namespace/shop"], _member.Calls.Where(c => c.Kind == CallKind.Apply).Select(c => c.Object!.ToString()));
    }

    [Fact]
    public async Task A_refusal_in_stage_two_keeps_stage_one_on_record_and_names_the_stage_and_the_partial_revision()
    {
        var ns = Namespace("shop");
        var cm = ConfigMap("a");
        _member.Refuse(Ref(cm), "ConfigMap \"a\" is invalid: data[bad key]: Invalid value: \"bad key\"");

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", ns, cm, Webhook("guard")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Equal("Resources", outcome.Result.Stage);
        Assert.Equal("r1", outcome.Result.PartialRevision);
        Assert.Null(outcome.Result.AppliedRevision);
        Assert.Contains("data[bad key]: Invalid value", outcome.Result.Error);
        Assert.NotNull(_member.Live(Ref(ns)));
        // Stage two wrote nothing (its dry-run was refused), so only stage one's objects went on record.
        var stored = _member.Inventory(Owner);
        Assert.Equal([Ref(ns)], stored.Inventory.Entries);
        Assert.Equal(("r1", "ClusterDefinitions", (string?)null), (stored.Applying, stored.Stage, stored.Revision));
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Apply && !c.Object!.Equals(Ref(ns)));
        Assert.DoesNotContain(_member.Calls, c => c.Object?.Kind == "ValidatingWebhookConfiguration");
    }

    [Fact]
    public async Task Every_changed_object_is_dry_run_and_the_whole_stage_passes_its_dry_run_before_anything_is_applied()
    {
        var maps = Enumerable.Range(0, 20).Select(i => ConfigMap($"m{i:00}")).ToArray();

        await new ClusterSyncExecutor(_member, parallelism: 8).RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        var calls = _member.Calls;
        var lastDryRun = calls.ToList().FindLastIndex(c => c.Kind == CallKind.DryRun);
        var firstApply = calls.ToList().FindIndex(c => c.Kind == CallKind.Apply);
        Assert.True(lastDryRun < firstApply, string.Join("\n", calls));
        Assert.Equal(maps.Select(Ref).Order(), calls.Where(c => c.Kind == CallKind.DryRun).Select(c => c.Object!).Order());
        Assert.Equal(maps.Select(Ref).Order(), calls.Where(c => c.Kind == CallKind.Apply).Select(c => c.Object!).Order());
    }

    [Fact]
    public async Task A_refused_dry_run_names_the_object_quotes_the_server_and_applies_nothing_of_its_stage()
    {
        var maps = new[] { ConfigMap("a"), ConfigMap("b"), ConfigMap("c") };
        const string reason = "ConfigMap \"b\" is invalid: metadata.name: Invalid value: \"b\": a lowercase RFC 1123 subdomain must consist of";
        _member.Refuse(Ref(maps[1]), reason);

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Contains("ConfigMap/shop/b", outcome.Result.Error);
        Assert.Contains(reason, outcome.Result.Error);
        Assert.Contains(reason, outcome.Errors[Ref(maps[1])]);
        Assert.Equal(3, _member.Calls.Count(c => c.Kind == CallKind.DryRun));
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Apply);
    }

    [Fact]
    public async Task A_refusal_of_the_apply_itself_after_a_clean_dry_run_fails_the_sync_and_leaves_the_revision_unapplied()
    {
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.Refuse(Ref(maps[1]), "admission webhook \"quota.example.io\" denied the request: over quota", onlyWhenApplied: true);

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Equal("Resources", outcome.Result.Stage);
        Assert.Contains("over quota", outcome.Result.Error);
        Assert.Null(_member.Inventory(Owner).Revision);
        Assert.Equal("r1", _member.Inventory(Owner).Applying);
    }

    [Fact]
    public async Task A_CRD_left_accepted_but_never_established_is_restarted_once_after_the_grace_and_its_custom_resources_follow()
    {
        _member.StickCrdsInInstalling();
        var executor = new ClusterSyncExecutor(_member, establishNudgeAfter: TimeSpan.FromMilliseconds(300));

        var outcome = await executor.RunAsync(Request("r1", Crd("widgets.example.io"), Namespace("shop"), Widget("w")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Single(_member.Calls, c => c.Kind == CallKind.RestartEstablishing);
        Assert.NotNull(_member.Live(Ref(Widget("w"))));
    }

    [Fact]
    public async Task A_no_op_resync_makes_no_writes_no_inventory_writes_and_no_reads_beyond_the_cached_inventory()
    {
        var executor = new ClusterSyncExecutor(_member);
        var request = Request("r1", Crd("widgets.example.io"), Namespace("shop"), ConfigMap("a"), ConfigMap("b"), Widget("w"));
        Assert.Equal(SyncPhase.Synced, (await executor.RunAsync(request, apply: true, CancellationToken.None)).Result.Phase);
        _member.ClearCalls();

        var again = await executor.RunAsync(request, apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, again.Result.Phase);
        Assert.Equal(0, again.Result.Written);
        Assert.All(again.Plan.All, c => Assert.Equal(ChangeAction.Unchanged, c.Action));
        Assert.Equal(["ReadInventory "], _member.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task A_bundle_that_renders_its_own_target_namespace_with_createNamespace_writes_it_once_and_resyncs_as_a_no_op()
    {
        var executor = new ClusterSyncExecutor(_member, parallelism: 1);
        var ns = Namespace("shop");
        ns["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "payments" };
        var request = Request("r1", new SyncPolicy(TargetNamespace: "shop", CreateNamespace: true), ns, ConfigMap("a"));

        await executor.RunAsync(request, apply: true, CancellationToken.None);
        Assert.Equal(1, _member.Calls.Count(c => c.Kind == CallKind.Apply && c.Object!.Equals(Ref(ns))));
        Assert.Equal("payments", _member.Live(Ref(ns))!["metadata"]!["labels"]!["team"]!.GetValue<string>());
        _member.ClearCalls();
        var again = await executor.RunAsync(request, apply: true, CancellationToken.None);

        Assert.Equal([ChangeAction.Unchanged, ChangeAction.Unchanged], again.Plan.All.Select(c => c.Action));
        Assert.DoesNotContain(_member.Calls, c => c.IsWrite);
    }

    [Fact]
    public async Task A_preview_dry_runs_what_would_change_and_writes_nothing()
    {
        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", Namespace("shop"), ConfigMap("a")), apply: false, CancellationToken.None);

        Assert.Equal([ChangeAction.Create, ChangeAction.Create], outcome.Plan.All.Select(c => c.Action));
        Assert.Equal(2, _member.Calls.Count(c => c.Kind == CallKind.DryRun));
        Assert.DoesNotContain(_member.Calls, c => c.IsWrite);
    }
}
