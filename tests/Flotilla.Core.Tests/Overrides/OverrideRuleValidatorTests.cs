using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Overrides;

public sealed class OverrideRuleValidatorTests
{
    private const string Valid = """{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"replicas":1}""";

    [Theory]
    [InlineData("""{"priority":1,"clusterSelector":{},"targets":[{}],"replicas":1}""", "#0", "name is required")]
    [InlineData("""{"name":"r","priority":1,"targets":[{}],"replicas":1}""", "r", "clusterSelector is required")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"replicas":1}""", "r", "targets: at least one")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}]}""", "r", "no change given")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[]}""", "r", "jsonPatch has no operations")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"merge","path":"/a"}]}""", "r", "jsonPatch[0]: unknown op \"merge\"")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"path":"/a"}]}""", "r", "jsonPatch[0]: \"op\" is required")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"remove","path":"a"}]}""", "r", "\"path\" \"a\" must start with '/'")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"remove","path":"/a~2b"}]}""", "r", "'~' not followed by 0 or 1")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"remove"}]}""", "r", "\"path\" is required")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"add","path":"/a"}]}""", "r", "\"add\" needs a \"value\"")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"test","path":"/a"}]}""", "r", "\"test\" needs a \"value\"")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"copy","path":"/a"}]}""", "r", "\"from\" is required")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"move","from":"/a","path":"/a/b"}]}""", "r", "into its own child")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"remove","path":""}]}""", "r", "cannot target the whole object")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[{"op":"copy","from":"","path":"/a"}]}""", "r", "\"from\" cannot be the whole object")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"jsonPatch":[7]}""", "r", "jsonPatch[0] must be an object")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"mergePatch":{}}""", "r", "mergePatch is empty")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"image":{}}""", "r", "exactly one of")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"image":{"image":"a:1","registry":"r.io"}}""", "r", "exactly one of")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"image":{"registry":"r.io/"}}""", "r", "image.registry must be")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"image":{"image":"a b"}}""", "r", "image.image must be")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"image":{"container":"","image":"a"}}""", "r", "image.container must not be empty")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"replicas":-1}""", "r", "replicas must not be negative")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"env":[{"name":"","value":"x"}]}""", "r", "env.name must be")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"labels":{"bad key":"x"}}""", "r", "labels: \"bad key\" is not a valid key")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"labels":{"ok":"not valid!"}}""", "r", "the value of \"ok\" is not a valid label value")]
    [InlineData("""{"name":"r","priority":1,"clusterSelector":{},"targets":[{}],"annotations":{}}""", "r", "annotations is empty")]
    public void A_bad_rule_is_reported_with_its_name(string rule, string name, string message)
    {
        var errors = OverrideRuleValidator.Validate([OverrideRuleReader.Read(JsonNode.Parse(rule)!.AsObject())]);

        var error = Assert.Single(errors);
        Assert.Equal(name, error.Rule);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_rule_has_no_errors() =>
        Assert.Empty(OverrideRuleValidator.Validate([OverrideRuleReader.Read(JsonNode.Parse(Valid)!.AsObject())]));

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var rule = OverrideRuleReader.Read(JsonNode.Parse("""{"name":"r","priority":1,"jsonPatch":[{"op":"nope","path":"x"},{"op":"add","path":"/a"}]}""")!.AsObject());

        var messages = OverrideRuleValidator.Validate([rule]).Select(e => e.Message).ToList();

        Assert.Equal(5, messages.Count);
        Assert.Contains(messages, m => m.Contains("clusterSelector", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("targets", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("unknown op", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("must start with '/'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("jsonPatch[1]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_duplicate_name_is_reported_on_the_later_rule()
    {
        var rule = OverrideRuleReader.Read(JsonNode.Parse(Valid)!.AsObject());

        var error = Assert.Single(OverrideRuleValidator.Validate([rule, rule with { Priority = 2 }]));

        Assert.Equal("override \"r\": name is used by an earlier override", error.ToString());
    }

    [Fact]
    public void More_rules_than_fit_a_key_are_refused()
    {
        var rules = Enumerable.Range(0, OverrideRuleValidator.MaxRules + 1)
            .Select(i => new OverrideRule($"r{i}", i, LabelSelector.Everything, [new ObjectTarget()], [new ReplicasOverride(1)]))
            .ToList();

        Assert.Empty(OverrideRuleValidator.Validate(rules.Take(OverrideRuleValidator.MaxRules).ToList()));
        var error = Assert.Single(OverrideRuleValidator.Validate(rules));
        Assert.Null(error.Rule);
        Assert.Contains("at most 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_env_mode_is_refused()
    {
        var undefined = (EnvMode)7;
        var rule = new OverrideRule("r", 1, LabelSelector.Everything, [new ObjectTarget()], [new EnvOverride(null, "A", "b", undefined)]);

        Assert.Contains("env.mode", Assert.Single(OverrideRuleValidator.Validate([rule])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_entries_may_remove_with_null() =>
        Assert.Empty(OverrideRuleValidator.Validate(
            [new OverrideRule("r", 1, LabelSelector.Everything, [new ObjectTarget()],
                [new MetadataOverride(MetadataField.Labels, ImmutableSortedDictionary<string, string?>.Empty.Add("gone", null))])]));
}
