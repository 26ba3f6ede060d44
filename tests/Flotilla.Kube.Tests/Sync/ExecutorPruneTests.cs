using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;
using static Flotilla.Kube.Tests.Sync.SyncObjects;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>Prune and removal: only objects in the inventory and carrying the bundle's label go, each only with the uid that was planned.</summary>
public sealed class ExecutorPruneTests
{
    private readonly FakeClusterClient _member = new();
    private readonly Dictionary<string, string> _uids = [];

    /// <summary>
    /// On the member: <c>gone</c> (ours, recorded), <c>foreign</c> (recorded, another bundle's label), <c>unlabelled</c>
    /// (recorded, labels removed by someone), <c>stray</c> (our label, never recorded); the inventory lists the first three.
    /// </summary>
    public ExecutorPruneTests()
    {
        _uids["gone"] = _member.Put(Labelled(ConfigMap("gone"), Owner));
        _uids["foreign"] = _member.Put(Labelled(ConfigMap("foreign"), OwnershipLabels.ValueFor("default", "other")));
        _uids["unlabelled"] = _member.Put(ConfigMap("unlabelled"));
        _uids["stray"] = _member.Put(Labelled(ConfigMap("stray"), Owner));
        _member.PutInventory(Owner, new StoredInventory(new Inventory([Ref(ConfigMap("gone")), Ref(ConfigMap("foreign")), Ref(ConfigMap("unlabelled"))]), "r0"));
    }

    [Fact]
    public async Task Prune_deletes_only_recorded_objects_carrying_the_bundles_label_with_their_uid()
    {
        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", ConfigMap("kept")), apply: true, CancellationToken.None);

        Assert.Equal([$"Delete ConfigMap/shop/gone uid={_uids["gone"]}"], _member.Calls.Where(c => c.Kind == CallKind.Delete).Select(c => c.ToString()));
        Assert.Equal(1, outcome.Result.Pruned);
        Assert.Null(_member.Live(Ref(ConfigMap("gone"))));
        foreach (var name in new[] { "foreign", "unlabelled", "stray" }) Assert.NotNull(_member.Live(Ref(ConfigMap(name))));
        Assert.Equal([ChangeAction.PruneSkipped, ChangeAction.Prune, ChangeAction.PruneSkipped],
            outcome.Plan.Prunes.OrderBy(c => c.Ref.Name, StringComparer.Ordinal).Select(c => c.Action));
    }

    [Fact]
    public async Task Prune_off_deletes_nothing_and_keeps_what_is_still_there_on_record()
    {
        await new ClusterSyncExecutor(_member).RunAsync(Request("r1", new SyncPolicy(Prune: false), ConfigMap("kept")), apply: true, CancellationToken.None);

        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.Delete);
        Assert.Contains(Ref(ConfigMap("gone")), _member.Inventory(Owner).Inventory.Entries);
    }

    [Fact]
    public async Task An_empty_render_prunes_nothing_unless_allow_empty()
    {
        var refused = await new ClusterSyncExecutor(_member).RunAsync(Request("r1"), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, refused.Result.Phase);
        Assert.Contains("allowEmpty", refused.Result.Error);
        Assert.DoesNotContain(_member.Calls, c => c.IsWrite);
    }

    [Fact]
    public async Task Removal_with_delete_removes_the_bundles_labelled_recorded_objects_then_the_inventory()
    {
        var deleted = await new ClusterSyncExecutor(_member).RemoveAsync(Owner, deleteObjects: true, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(["ReadInventory ", $"Delete ConfigMap/shop/gone uid={_uids["gone"]}", "DeleteInventory "], _member.Calls.Select(c => c.ToString()));
        foreach (var name in new[] { "foreign", "unlabelled", "stray" }) Assert.NotNull(_member.Live(Ref(ConfigMap(name))));
        Assert.Equal(StoredInventory.Empty, _member.Inventory(Owner));
    }

    [Fact]
    public async Task Removal_without_delete_leaves_every_object_and_removes_only_the_inventory()
    {
        var deleted = await new ClusterSyncExecutor(_member).RemoveAsync(Owner, deleteObjects: false, CancellationToken.None);

        Assert.Equal(0, deleted);
        Assert.Equal(["ReadInventory ", "DeleteInventory "], _member.Calls.Select(c => c.ToString()));
        Assert.NotNull(_member.Live(Ref(ConfigMap("gone"))));
    }

    [Fact]
    public async Task A_removal_preview_lists_what_the_removal_deletes_and_writes_nothing()
    {
        var outcome = await new ClusterSyncExecutor(_member).PreviewRemovalAsync(Owner, deleteObjects: true, CancellationToken.None);

        Assert.Equal([(Ref(ConfigMap("gone")), ChangeAction.Prune)], outcome.Plan.Prunes.Where(p => p.Action == ChangeAction.Prune).Select(p => (p.Ref, p.Action)));
        Assert.DoesNotContain(_member.Calls, c => c.IsWrite);
        Assert.Equal(3, _member.Inventory(Owner).Inventory.Count);
        Assert.NotNull(_member.Live(Ref(ConfigMap("gone"))));
    }

    [Fact]
    public async Task A_removal_preview_of_an_orphaning_bundle_deletes_nothing()
    {
        var outcome = await new ClusterSyncExecutor(_member).PreviewRemovalAsync(Owner, deleteObjects: false, CancellationToken.None);

        Assert.Empty(outcome.Plan.All);
        Assert.Equal(["ReadInventory "], _member.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task Prune_skips_an_object_replaced_since_it_was_planned()
    {
        // The uid precondition: the object named "gone" was deleted and created anew by someone after the plan read it.
        _member.ReplaceBeforeDelete(Ref(ConfigMap("gone")));

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", ConfigMap("kept")), apply: true, CancellationToken.None);

        Assert.Equal(0, outcome.Result.Pruned);
        Assert.NotNull(_member.Live(Ref(ConfigMap("gone"))));
        Assert.Equal(_uids["gone"], _member.Calls.Single(c => c.Kind == CallKind.Delete).Uid);
    }

    [Fact]
    public async Task A_transport_error_on_one_delete_while_the_member_answers_keeps_that_object_on_record_and_fails_the_sync()
    {
        _member.BreakDelete(Ref(ConfigMap("gone")));

        var outcome = await new ClusterSyncExecutor(_member).RunAsync(Request("r1", ConfigMap("kept")), apply: true, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, outcome.Result.Phase);
        Assert.Equal("r1", outcome.Result.AppliedRevision);
        Assert.Contains("prune incomplete: ConfigMap/shop/gone: the delete failed", outcome.Result.Error);
        Assert.Contains(Ref(ConfigMap("gone")), outcome.Errors.Keys);
        Assert.NotNull(_member.Live(Ref(ConfigMap("gone"))));
        Assert.Equal([Ref(ConfigMap("gone")), Ref(ConfigMap("kept"))], _member.Inventory(Owner).Inventory.Entries);
        Assert.Equal("r1", _member.Inventory(Owner).Revision);
    }

    [Fact]
    public async Task A_member_that_stops_answering_during_the_prune_is_unreachable_and_its_record_is_untouched()
    {
        _member.GoDownAt(Ref(ConfigMap("gone")));

        await Assert.ThrowsAsync<ClusterUnreachableException>(() =>
            new ClusterSyncExecutor(_member).RunAsync(Request("r1", ConfigMap("kept")), apply: true, CancellationToken.None));

        Assert.Contains(Ref(ConfigMap("gone")), _member.Inventory(Owner).Inventory.Entries);
        Assert.Equal("r0", _member.Inventory(Owner).Revision);
    }

    [Fact]
    public async Task A_removal_whose_delete_fails_keeps_the_inventory_so_it_is_retried()
    {
        _member.BreakDelete(Ref(ConfigMap("gone")));

        await Assert.ThrowsAsync<HttpRequestException>(() => new ClusterSyncExecutor(_member).RemoveAsync(Owner, deleteObjects: true, CancellationToken.None));

        Assert.Equal(3, _member.Inventory(Owner).Inventory.Count);
        Assert.DoesNotContain(_member.Calls, c => c.Kind == CallKind.DeleteInventory);
    }
}
