using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;
using static Flotilla.Kube.Tests.Sync.SyncObjects;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>How the executor tells one object's trouble from a lost member, and what it does about a kind or group the server cannot handle.</summary>
public sealed class ExecutorFailureTests
{
    private readonly FakeClusterClient _member = new();

    [Fact]
    public async Task A_transport_error_on_one_object_while_the_member_answers_is_that_objects_error_not_unreachable()
    {
        var maps = new[] { ConfigMap("a"), ConfigMap("b"), ConfigMap("c") };
        _member.BreakTransport(Ref(maps[1]));

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Equal([Ref(maps[1])], outcome.Errors.Keys);
        Assert.Contains("ConfigMap/shop/b: the request failed", outcome.Result.Error);
        Assert.Contains("although the cluster answers", outcome.Result.Error);
    }

    [Fact]
    public async Task A_passing_transport_error_does_not_turn_the_kind_away_from_server_side_apply()
    {
        var executor = new ClusterSyncExecutor(_member);
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.BreakTransportOnce(Ref(maps[1]));

        var first = await executor.RunAsync(Request("r1", maps), apply: true, CancellationToken.None);
        var second = await executor.RunAsync(Request("r2", ConfigMap("a", "2"), ConfigMap("b", "2")), apply: true, CancellationToken.None);

        Assert.Equal((SyncPhase.Synced, SyncPhase.Synced), (first.Result.Phase, second.Result.Phase));
        Assert.All(_member.Calls.Where(c => c.Kind is CallKind.DryRun or CallKind.Apply), c => Assert.Equal(WriteMethod.ServerSideApply, c.Method));
        Assert.Empty(first.Result.Warnings);
    }

    [Fact]
    public async Task A_member_that_stops_answering_fails_the_sync_as_unreachable_and_prunes_nothing()
    {
        var old = ConfigMap("old");
        _member.Put(Labelled(old, Owner));
        _member.PutInventory(Owner, new StoredInventory(new Inventory([Ref(old)]), "r0"));
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.GoDownAt(Ref(maps[1]));

        await Assert.ThrowsAsync<ClusterUnreachableException>(() =>
            new ClusterSyncExecutor(_member, parallelism: 1).RunAsync(Request("r1", maps), apply: true, CancellationToken.None));

        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Delete);
        Assert.Contains(Ref(old), _member.Inventory(Owner).Inventory.Entries);
    }

    [Fact]
    public async Task The_final_record_follows_the_report_and_one_lost_on_the_wire_is_written_by_the_next_run_with_nothing_off_record()
    {
        var executor = new ClusterSyncExecutor(_member);
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.LoseInventoryWrites(record => record.Revision == "r1");

        var first = await executor.RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        // The run reports what it applied; the member still holds the record made before the stage's writes.
        Assert.Equal(SyncPhase.Synced, first.Result.Phase);
        Assert.Equal("r1", first.Result.AppliedRevision);
        var kept = _member.Inventory(Owner);
        Assert.Equal(maps.Select(Ref).Order(), kept.Inventory.Entries);
        Assert.Equal(("r1", (string?)null), (kept.Applying, kept.Revision));

        _member.LoseInventoryWrites(null);
        var second = await executor.RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, second.Result.Phase);
        Assert.Equal(0, second.Result.Written);
        var recorded = _member.Inventory(Owner);
        Assert.Equal(maps.Select(Ref).Order(), recorded.Inventory.Entries);
        Assert.Equal(((string?)null, "r1"), (recorded.Applying, recorded.Revision));
    }

    [Fact]
    public async Task A_kind_the_server_cannot_server_side_apply_falls_back_to_create_or_merge_patch_with_the_same_labels()
    {
        var executor = new ClusterSyncExecutor(_member);
        var apiService = ApiService("v1.metrics.example.io");
        _member.CannotServerSideApply("APIService");

        var outcome = await executor.RunAsync(Request("r1", ConfigMap("a"), apiService), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, outcome.Result.Phase);
        Assert.Contains("apiregistration.k8s.io/APIService/v1.metrics.example.io: this cluster cannot server-side apply APIService; written with create / merge patch", outcome.Result.Warnings);
        var labels = _member.Live(Ref(apiService))!["metadata"]!["labels"]!;
        Assert.Equal(Owner, labels[OwnershipLabels.Bundle]!.GetValue<string>());
        Assert.Equal(OwnershipLabels.ManagedByValue, labels[OwnershipLabels.ManagedBy]!.GetValue<string>());
        Assert.Contains(_member.Calls, c => c is { Kind: CallKind.Apply, Method: WriteMethod.CreateOrMergePatch } && c.Object!.Equals(Ref(apiService)));
        Assert.Contains(_member.Calls, c => c is { Kind: CallKind.Apply, Method: WriteMethod.ServerSideApply } && c.Object!.Equals(Ref(ConfigMap("a"))));

        // Known from then on: the next change goes straight to the fallback, never upsetting the server again.
        _member.ClearCalls();
        var changed = ApiService("v1.metrics.example.io");
        changed["spec"]!["versionPriority"] = 50;
        await executor.RunAsync(Request("r2", ConfigMap("a"), changed), apply: true, CancellationToken.None);
        Assert.Equal(["DryRun apiregistration.k8s.io/APIService/v1.metrics.example.io (create/merge)", "Apply apiregistration.k8s.io/APIService/v1.metrics.example.io (create/merge)"],
            _member.Calls.Where(c => c.Kind is CallKind.DryRun or CallKind.Apply).Select(c => c.ToString()));

        // And the status keeps saying so on a resync that writes nothing.
        var resync = await executor.RunAsync(Request("r2", ConfigMap("a"), changed), apply: true, CancellationToken.None);
        Assert.Equal(0, resync.Result.Written);
        Assert.Equal(outcome.Result.Warnings, resync.Result.Warnings);
    }

    [Fact]
    public async Task A_field_conflict_names_the_other_manager_and_stops_the_stage()
    {
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.Conflict(Ref(maps[0]), "kubectl-edit");

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", maps), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Contains("conflict with kubectl-edit", outcome.Result.Error);
        Assert.Equal(ChangeAction.Conflict, outcome.Plan.All.Single(c => c.Ref.Equals(Ref(maps[0]))).Action);
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Apply);
    }

    [Fact]
    public async Task Discovery_failing_for_one_group_fails_only_that_groups_objects_and_names_the_group()
    {
        var widget = Widget("w");
        var maps = new[] { ConfigMap("a"), ConfigMap("b") };
        _member.FailDiscovery("example.io");

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", [.. maps, widget, Webhook("guard")]), apply: true, CancellationToken.None);

        Assert.All(maps, m => Assert.NotNull(_member.Live(Ref(m))));
        Assert.NotNull(_member.Live(Ref(Webhook("guard"))));
        Assert.Equal([Ref(widget)], outcome.Errors.Keys);
        Assert.Contains("example.io/v1", outcome.Errors[Ref(widget)]);
        Assert.Contains("the server is currently unable to handle the request", outcome.Errors[Ref(widget)]);
        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Contains("example.io/Widget/shop/w", outcome.Result.Error);
        Assert.Equal("r1", outcome.Result.PartialRevision);
    }

    [Fact]
    public async Task An_object_of_an_unavailable_group_stays_on_record_and_is_not_pruned()
    {
        var widget = Widget("w");
        var executor = new ClusterSyncExecutor(_member);
        await executor.RunAsync(Request("r1", ConfigMap("a"), widget), apply: true, CancellationToken.None);
        _member.FailDiscovery("example.io");

        await executor.RunAsync(Request("r2", ConfigMap("a", "2"), widget), apply: true, CancellationToken.None);

        Assert.NotNull(_member.Live(Ref(widget)));
        Assert.Contains(Ref(widget), _member.Inventory(Owner).Inventory.Entries);
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Delete);
    }
}
