using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class StatusOnlyChangesTests
{
    private readonly StatusOnlyChanges _changes = new();

    [Fact]
    public void Same_generation_labels_and_annotations_is_a_status_only_change()
    {
        Assert.False(_changes.IsStatusOnly("c1", "LISTED", Deployment(generation: 3)));
        Assert.True(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 3)));
    }

    [Fact]
    public void A_spec_change_bumps_the_generation_and_may_be_drift()
    {
        _changes.IsStatusOnly("c1", "ADDED", Deployment(generation: 3));
        Assert.False(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 4)));
        Assert.True(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 4)));
    }

    [Fact]
    public void A_label_or_annotation_change_may_be_drift()
    {
        _changes.IsStatusOnly("c1", "ADDED", Deployment(generation: 3));
        Assert.False(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 3, label: "edited")));
        Assert.False(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 3, label: "edited", annotation: "edited")));
    }

    [Fact]
    public void Objects_without_a_generation_first_sightings_and_deletes_are_never_status_only()
    {
        var configMap = Deployment(generation: null);
        _changes.IsStatusOnly("c1", "ADDED", configMap);
        Assert.False(_changes.IsStatusOnly("c1", "MODIFIED", configMap));
        Assert.False(_changes.IsStatusOnly("c2", "MODIFIED", Deployment(generation: 3))); // never seen on c2
        Assert.False(_changes.IsStatusOnly("c1", "DELETED", Deployment(generation: 3)));
        Assert.False(_changes.IsStatusOnly("c1", "MODIFIED", Deployment(generation: 3))); // forgotten by the delete
    }

    private static JsonObject Deployment(long? generation, string label = "web", string annotation = "a")
    {
        var metadata = new JsonObject
        {
            ["name"] = "web",
            ["uid"] = "uid-1",
            ["labels"] = new JsonObject { ["app"] = label },
            ["annotations"] = new JsonObject { ["note"] = annotation },
        };
        if (generation is not null) metadata["generation"] = generation;
        return new JsonObject { ["metadata"] = metadata };
    }
}
