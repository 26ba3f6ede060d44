using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Overrides;

public sealed class PreparedOverridesTests
{
    private static OverrideCluster Cluster(string name, string labels = "", string properties = "") =>
        new(name, Map(labels), Map(properties));

    private static Dictionary<string, string> Map(string pairs) =>
        pairs.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static ManifestSet Manifests(string yaml)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, yaml);
        try
        {
            return OverrideCase.LoadManifests(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly ManifestSet Two = Manifests("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a, namespace: shop}
        data: {x: "1"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: b, namespace: shop}
        data: {x: "1"}
        """);

    private static OverrideRule Rule(string name, int priority, string selector, string target, string value) =>
        new(name, priority, LabelSelector.Parse(selector), [new ObjectTarget(Name: target)],
            [new MergePatchOverride(new JsonObject { ["data"] = new JsonObject { ["x"] = value } })]);

    private static PreparedOverrides Prepare(IReadOnlyList<OverrideRule> rules, ManifestSet manifests)
    {
        Assert.True(BundleOverrides.TryPrepare(rules, manifests, out var prepared, out var errors), string.Join("\n", errors));
        return prepared;
    }

    [Fact]
    public void Clusters_matching_the_same_rules_share_a_key_and_one_result()
    {
        var prepared = Prepare([Rule("eu", 1, "region=eu", "a", "eu")], Two);
        var eu1 = Cluster("eu-1", "region=eu,env=prod");
        var eu2 = Cluster("eu-2", "region=eu,env=dev");
        var us = Cluster("us-1", "region=us");

        Assert.Equal(prepared.KeyFor(eu1), prepared.KeyFor(eu2));
        Assert.NotEqual(prepared.KeyFor(eu1), prepared.KeyFor(us));
        Assert.Same(prepared.Apply(eu1), prepared.Apply(eu2));
        Assert.NotSame(prepared.Apply(eu1), prepared.Apply(us));
    }

    [Fact]
    public void Only_the_variables_the_manifests_use_are_in_the_key()
    {
        var manifests = Manifests("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: shop, annotations: {flotilla.io/substitute: "true"}}
            data: {region: "${cluster.labels['region']}", v: "${cluster.properties['version']}"}
            """);
        var prepared = Prepare([], manifests);

        Assert.Equal(["${cluster.labels['region']}", "${cluster.properties['version']}"], prepared.Variables.Select(v => v.ToString()));
        Assert.Equal(prepared.KeyFor(Cluster("x", "region=eu,team=a", "version=1")), prepared.KeyFor(Cluster("y", "region=eu,team=b", "version=1")));
        Assert.NotEqual(prepared.KeyFor(Cluster("x", "region=eu", "version=1")), prepared.KeyFor(Cluster("x", "region=us", "version=1")));
        Assert.NotEqual(prepared.KeyFor(Cluster("x", "region=eu", "version=1")), prepared.KeyFor(Cluster("x", "region=eu", "version=2")));
        Assert.Equal(["eu", null], prepared.KeyFor(Cluster("x", "region=eu")).Values);
    }

    [Fact]
    public void Objects_no_rule_changes_are_the_input_instances()
    {
        var prepared = Prepare([Rule("eu", 1, "region=eu", "a", "eu")], Two);

        var changed = prepared.Apply(Cluster("eu-1", "region=eu")).Manifests!;
        var unchanged = prepared.Apply(Cluster("us-1", "region=us")).Manifests!;

        Assert.Same(Two, unchanged);
        Assert.NotSame(Two.Manifests[0], changed.Manifests[0]);
        Assert.Same(Two.Manifests[1], changed.Manifests[1]);
        Assert.Equal("1", Two.Manifests[0].Object["data"]!["x"]!.GetValue<string>()); // the input is never mutated
        Assert.Equal("eu", changed.Manifests[0].Object["data"]!["x"]!.GetValue<string>());
        Assert.Equal(Two.Manifests[0].Source, changed.Manifests[0].Source);
    }

    [Fact]
    public void A_rule_that_targets_nothing_is_a_warning_and_not_part_of_the_key()
    {
        var prepared = Prepare([Rule("typo", 1, "region=eu", "no-such-object", "x")], Two);

        Assert.Equal("override \"typo\": targets no object of this revision", Assert.Single(prepared.Warnings).ToString());
        Assert.Equal(prepared.KeyFor(Cluster("eu-1", "region=eu")), prepared.KeyFor(Cluster("us-1", "region=us")));
        Assert.Empty(prepared.Apply(Cluster("eu-1", "region=eu")).AppliedOverrides);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_order_rules_are_written_in()
    {
        OverrideRule[] rules = [Rule("b", 5, "", "a", "from-b"), Rule("a", 5, "", "a", "from-a"), Rule("c", 1, "", "a", "from-c")];
        var cluster = Cluster("c1");

        var results = new[] { rules, rules.Reverse().ToArray(), [rules[2], rules[0], rules[1]] }
            .Select(r => Prepare(r, Two).Apply(cluster))
            .ToList();

        foreach (var result in results)
        {
            Assert.Equal(["c", "a", "b"], result.AppliedOverrides.ToArray());
            Assert.Equal("from-b", result.Manifests!.Manifests[0].Object["data"]!["x"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Computing_a_key_without_variables_allocates_nothing()
    {
        var prepared = Prepare([Rule("eu", 1, "region in (eu,uk),env!=dev", "a", "eu"), Rule("prod", 2, "env=prod", "b", "p")], Two);
        var cluster = Cluster("eu-1", "region=eu,env=prod,tier=gold");
        var key = prepared.KeyFor(cluster);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) key = prepared.KeyFor(cluster);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0b11UL, key.Rules);
    }

    [Theory]
    [InlineData("${cluster.label['region']}", "unknown variable \"${cluster.label['region']}\"")]
    [InlineData("${cluster.labels[\"region\"]}", "unknown variable")]
    [InlineData("${region}", "unknown variable (use")]
    [InlineData("a ${cluster.name", "has no closing '}'")]
    public void A_bad_variable_in_an_opted_in_manifest_is_a_bundle_error(string value, string message)
    {
        var manifests = Manifests($$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: shop, annotations: {flotilla.io/substitute: "true"}}
            data:
              x: |-
                {{{value}}}
            """);

        Assert.False(BundleOverrides.TryPrepare([], manifests, out var prepared, out var errors));
        Assert.Null(prepared);
        var error = Assert.Single(errors);
        Assert.Null(error.Rule);
        Assert.StartsWith("ConfigMap/shop/a at /data/x: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_errors_stop_preparation()
    {
        Assert.False(BundleOverrides.TryPrepare([Rule("r", 1, "", "a", "x") with { ClusterSelector = null }], Two, out _, out var errors));
        Assert.Contains("clusterSelector is required", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_cluster_names_no_cluster_and_lists_the_rules_that_were_to_apply()
    {
        var rule = new OverrideRule("bad", 1, LabelSelector.Parse("region=eu"), [new ObjectTarget(Kind: "ConfigMap")],
            [new JsonPatchOverride(JsonNode.Parse("""[{"op":"remove","path":"/data/missing"}]""")!.AsArray())]);
        var prepared = Prepare([rule], Two);

        var result = prepared.Apply(Cluster("eu-1", "region=eu"));

        Assert.False(result.Succeeded);
        Assert.Null(result.Manifests);
        Assert.Equal(["bad"], result.AppliedOverrides.ToArray());
        Assert.Equal(
            ["override \"bad\": ConfigMap/shop/a at /data/missing: path \"/data/missing\" does not exist",
             "override \"bad\": ConfigMap/shop/b at /data/missing: path \"/data/missing\" does not exist"],
            result.Errors.Select(e => e.ToString()));
        Assert.True(prepared.Apply(Cluster("us-1", "region=us")).Succeeded);
    }
}
