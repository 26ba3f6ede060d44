using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync;

public sealed class InventoryTests
{
    [Fact]
    public void Serializes_sorted_lines_after_a_header()
    {
        var inventory = new Inventory(
        [
            new ObjectRef("apps", "v1", "Deployment", "shop", "web"),
            new ObjectRef("", "v1", "Namespace", "", "shop"),
            new ObjectRef("rbac.authorization.k8s.io", "v1", "ClusterRole", "", "system:aggregate_to_view"),
        ]);

        Assert.Equal(
            "# flotilla inventory v1\n" +
            "_Namespace__shop_v1\n" +
            "apps_Deployment_shop_web_v1\n" +
            "rbac.authorization.k8s.io_ClusterRole__system:aggregate_to_view_v1\n",
            inventory.Serialize());
    }

    [Fact]
    public void Round_trips_including_versions_and_underscored_names()
    {
        var original = new Inventory(
        [
            new ObjectRef("apps", "v1", "Deployment", "shop", "web"),
            new ObjectRef("autoscaling", "v2", "HorizontalPodAutoscaler", "shop", "web"),
            new ObjectRef("", "v1", "Namespace", "", "shop"),
            new ObjectRef("rbac.authorization.k8s.io", "v1", "ClusterRole", "", "a_b__c_"),
        ]);

        var parsed = Inventory.Parse(original.Serialize());

        Assert.Equal(original, parsed);
        Assert.Equal(original.GetHashCode(), parsed.GetHashCode());
        Assert.Equal("a_b__c_", parsed.Entries.Single(e => e.Kind == "ClusterRole").Name);
        Assert.Equal("v2", parsed.Entries.Single(e => e.Kind == "HorizontalPodAutoscaler").Version);
    }

    [Fact]
    public void Equality_includes_versions_unlike_object_refs()
    {
        var v1 = new Inventory([new ObjectRef("autoscaling", "v1", "HorizontalPodAutoscaler", "shop", "web")]);
        var v2 = new Inventory([new ObjectRef("autoscaling", "v2", "HorizontalPodAutoscaler", "shop", "web")]);

        Assert.NotEqual(v1, v2);
        Assert.Equal(v1, new Inventory([new ObjectRef("autoscaling", "v1", "HorizontalPodAutoscaler", "shop", "web")]));
        Assert.True(v1.Contains(v2.Entries[0]));
    }

    [Fact]
    public void Parse_tolerates_blank_lines_crlf_and_a_missing_header()
    {
        var parsed = Inventory.Parse("\r\napps_Deployment_shop_web_v1\r\n\r\n_ConfigMap_shop_cfg_v1");

        Assert.Equal(["ConfigMap/shop/cfg", "apps/Deployment/shop/web"], parsed.Entries.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("apps_Deployment_shop_v1")]
    [InlineData("apps__shop_web_v1")]
    [InlineData("apps_Deployment_shop__v1")]
    [InlineData("apps_Deployment_shop_web_")]
    [InlineData("# some other format\napps_Deployment_shop_web_v1")]
    [InlineData("apps_Deployment_shop_web_v1\napps_Deployment_shop_web_v2")]
    public void Parse_rejects_malformed_input(string text)
    {
        Assert.Throws<FormatException>(() => Inventory.Parse(text));
    }

    [Fact]
    public void Parse_error_names_the_line()
    {
        var e = Assert.Throws<FormatException>(() => Inventory.Parse("# flotilla inventory v1\n_ConfigMap_shop_cfg_v1\nbroken\n"));
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void Rejects_entries_that_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef("a_b", "v1", "K", "", "n")]));
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef("", "v1", "K", "", "line\nbreak")]));
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef("", "", "K", "", "n")]));
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("nul\u0000")]
    [InlineData("del\u007f")]
    [InlineData("next-line\u0085")]
    [InlineData("c1-end\u009f")]
    public void Rejects_every_control_character_in_any_field(string text)
    {
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef("", "v1", "K", "", text)]));
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef("", "v1", "K", text, "n")]));
        Assert.Throws<ArgumentException>(() => new Inventory([new ObjectRef(text, "v1", "K", "", "n")]));
    }

    [Fact]
    public void Accepts_names_beyond_ascii_that_are_not_control_characters()
    {
        var inventory = new Inventory([new ObjectRef("", "v1", "ConfigMap", "shop", "caf\u00e9-\u00a0-\u4e2d")]);
        Assert.Equal(inventory, Inventory.Parse(inventory.Serialize()));
    }

    [Fact]
    public void Deduplicates_identical_entries_and_rejects_two_versions()
    {
        var r = new ObjectRef("apps", "v1", "Deployment", "shop", "web");
        Assert.Equal(1, new Inventory([r, r]).Count);
        Assert.Throws<ArgumentException>(() => new Inventory([r, r with { Version = "v1beta1" }]));
    }

    [Fact]
    public void From_a_manifest_set_lists_its_refs()
    {
        var set = ManifestBuilder.Set(
            ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop"),
            ManifestBuilder.Manifest("v1", "Namespace", "shop"));

        Assert.Equal(set.Refs, Inventory.From(set).Entries);
        Assert.Equal("# flotilla inventory v1\n", Inventory.Empty.Serialize());
        Assert.Equal(Inventory.Empty, Inventory.Parse(Inventory.Empty.Serialize()));
    }
}
