using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class WatchedChangesTests
{
    private readonly WatchedChanges _changes = new();

    [Fact]
    public void Same_generation_labels_and_annotations_is_a_status_only_change()
    {
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "LISTED", Deployment(generation: 3)));
        Assert.Equal(WatchedChange.StatusOnly, _changes.Classify("c1", "MODIFIED", Deployment(generation: 3)));
    }

    [Fact]
    public void A_spec_label_or_annotation_change_may_be_drift()
    {
        _changes.Classify("c1", "ADDED", Deployment(generation: 3));
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", Deployment(generation: 4)));
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", Deployment(generation: 4, label: "edited")));
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", Deployment(generation: 4, label: "edited", annotation: "edited")));
    }

    [Fact]
    public void Our_own_write_moves_flotillas_managed_fields_time_forward()
    {
        _changes.Classify("c1", "ADDED", Deployment(generation: 3, ownTime: "2026-01-01T00:00:05Z"));
        Assert.Equal(WatchedChange.OwnWrite, _changes.Classify("c1", "MODIFIED", Deployment(generation: 4, ownTime: "2026-01-01T00:00:09Z")));
    }

    [Fact]
    public void An_edit_right_after_our_write_or_one_that_only_removes_a_field_is_not_taken_for_our_echo()
    {
        _changes.Classify("c1", "ADDED", ConfigMap(ownTime: "2026-01-01T00:00:05Z"));
        Assert.Equal(WatchedChange.OwnWrite, _changes.Classify("c1", "MODIFIED", ConfigMap(ownTime: "2026-01-01T00:00:06Z")));
        // Reverted within the same second: Flotilla's time does not move, another entry has the same time.
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", ConfigMap(ownTime: "2026-01-01T00:00:06Z", otherTime: "2026-01-01T00:00:06Z")));
        // A key removed by hand: the remover leaves no managedFields entry, so only Flotilla's (unchanged) one is there.
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", ConfigMap(ownTime: "2026-01-01T00:00:06Z")));
    }

    [Fact]
    public void Objects_without_a_generation_first_sightings_and_deletes_are_possible_drift()
    {
        _changes.Classify("c1", "ADDED", ConfigMap());
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", ConfigMap()));
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c2", "MODIFIED", Deployment(generation: 3))); // never seen on c2
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "DELETED", Deployment(generation: 3)));
        Assert.Equal(WatchedChange.PossibleDrift, _changes.Classify("c1", "MODIFIED", Deployment(generation: 3))); // forgotten by the delete
    }

    private static JsonObject ConfigMap(string ownTime = "2026-01-01T00:00:05Z", string? otherTime = null) =>
        Object(null, "web", "a", ownTime, otherTime);

    private static JsonObject Deployment(long generation, string label = "web", string annotation = "a", string ownTime = "2026-01-01T00:00:05Z") =>
        Object(generation, label, annotation, ownTime, null);

    private static JsonObject Object(long? generation, string label, string annotation, string ownTime, string? otherTime)
    {
        var managedFields = new JsonArray(new JsonObject { ["manager"] = "flotilla", ["operation"] = "Apply", ["time"] = ownTime });
        if (otherTime is not null) managedFields.Add(new JsonObject { ["manager"] = "rogue-operator", ["operation"] = "Update", ["time"] = otherTime });
        var metadata = new JsonObject
        {
            ["name"] = "web",
            ["uid"] = "uid-1",
            ["labels"] = new JsonObject { ["app"] = label },
            ["annotations"] = new JsonObject { ["note"] = annotation },
            ["managedFields"] = managedFields,
        };
        if (generation is not null) metadata["generation"] = generation;
        return new JsonObject { ["metadata"] = metadata };
    }
}
