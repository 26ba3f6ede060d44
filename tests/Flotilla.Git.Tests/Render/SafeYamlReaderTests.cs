using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

public sealed class SafeYamlReaderTests
{
    private static readonly SafeYamlReader Reader = new(RenderLimits.Default);

    [Fact]
    public void Reads_multiple_documents_skipping_empty_ones_and_keeping_document_indexes()
    {
        var yaml = "# leading comment\n---\n" + Yaml.ConfigMap("a") + "---\n---\n# only a comment\n---\n" + Yaml.ConfigMap("b") + "...\n";

        var result = Reader.Read(yaml, "apps/cm.yaml");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["a", "b"], result.Objects.Select(o => (string)o.Body["metadata"]!["name"]!));
        Assert.Equal([new SourceLocation("apps/cm.yaml", 0), new SourceLocation("apps/cm.yaml", 3)], result.Objects.Select(o => o.Source));
    }

    [Fact]
    public void Flattens_list_kinds_into_detached_items()
    {
        var yaml = "apiVersion: v1\nkind: List\nitems:\n- " + Yaml.ConfigMap("a").Replace("\n", "\n  ").TrimEnd() + "\n- " + Yaml.ConfigMap("b").Replace("\n", "\n  ").TrimEnd() + "\n";

        var result = Reader.Read(yaml, "list.yaml");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Objects.Count);
        Assert.Equal(new SourceLocation("list.yaml", 0, 1), result.Objects[1].Source);
        Assert.Equal("b", (string)result.Objects[1].Body["metadata"]!["name"]!);
        Assert.All(result.Objects, o => Assert.Null(o.Body.Parent));
        new JsonArray().Add(result.Objects[0].Body); // would throw if still attached to the List
    }

    [Fact]
    public void Typed_lists_like_ConfigMapList_are_flattened_too()
    {
        var result = Reader.Read("apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n", "l.yaml");

        Assert.Equal("ConfigMap", (string)Assert.Single(result.Objects).Body["kind"]!);
    }

    [Fact]
    public void A_list_item_that_is_not_a_mapping_is_an_error()
    {
        var result = Reader.Read("apiVersion: v1\nkind: List\nitems: [1]\n", "l.yaml");

        Assert.Equal(ManifestErrorCode.InvalidYaml, Assert.Single(result.Errors).Code);
        Assert.Empty(result.Objects);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("-2", "-2")]
    [InlineData("+3", "3")]
    [InlineData("012", "12")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("1.5", "1.5")]
    [InlineData(".5", "0.5")]
    [InlineData("1e3", "1000")]
    [InlineData("12345678901234567890", "1.2345678901234567E+19")]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("FALSE", "false")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("", "null")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("on", "\"on\"")]
    [InlineData("1_000", "\"1_000\"")]
    [InlineData("2024-01-01", "\"2024-01-01\"")]
    [InlineData("0x", "\"0x\"")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("\"1\"", "\"1\"")]
    [InlineData("'null'", "\"null\"")]
    [InlineData("!!str 123", "\"123\"")]
    [InlineData("!!int \"42\"", "42")]
    [InlineData("!!float 1", "1")]
    [InlineData("!!bool \"true\"", "true")]
    [InlineData("!!null x", "null")]
    [InlineData("! 12", "\"12\"")]
    [InlineData("|\n    text\n", "\"text\\n\"")]
    public void Types_scalars_by_the_yaml_1_2_core_schema(string scalar, string expectedJson)
    {
        var result = Reader.Read($"kind: X\nv: {scalar}\n", "s.yaml");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var value = Assert.Single(result.Objects).Body["v"];
        Assert.Equal(expectedJson, value?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("v: .inf\n")]
    [InlineData("v: -.Inf\n")]
    [InlineData("v: .nan\n")]
    [InlineData("v: !custom x\n")]
    [InlineData("v: !!int abc\n")]
    [InlineData("v: 0x8000000000000000\n")]
    [InlineData("v: !!set {a: null}\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("? {a: 1}\n: c\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just a string\n")]
    [InlineData("v: *nope\n")]
    [InlineData("v: &a [1, *a]\n")]
    [InlineData("v: [1, 2\n")]
    [InlineData("a: b: c\n")]
    [InlineData("v: {<<: 1}\n")]
    public void Refuses_invalid_or_unsupported_yaml(string yaml)
    {
        var result = Reader.Read(yaml, "bad.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.InvalidYaml, error.Code);
        Assert.Equal("bad.yaml", error.Source.Path);
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void Errors_name_the_document_and_line()
    {
        var result = Reader.Read(Yaml.ConfigMap("a") + "---\n" + Yaml.ConfigMap("b") + "---\nkind: X\nv: [1,\n", "multi.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(new SourceLocation("multi.yaml", 2), error.Source);
        Assert.Matches("^line [0-9]+: ", error.Message);
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void Aliases_and_merge_keys_expand()
    {
        var yaml = """
            kind: X
            base: &base {a: 1, b: {c: 2}}
            other: &other {b: 9, z: 0}
            copy: *base
            merged:
              <<: [*base, *other]
              a: 10
            quotedMergeKey: {"<<": 1}
            """;

        var result = Reader.Read(yaml, "a.yaml");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var body = Assert.Single(result.Objects).Body;
        Assert.True(JsonNode.DeepEquals(body["base"], body["copy"]));
        Assert.NotSame(body["base"], body["copy"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":10,"b":{"c":2},"z":0}"""), body["merged"]), body["merged"]!.ToJsonString());
        Assert.Equal(1L, (long)body["quotedMergeKey"]!["<<"]!);
    }

    [Fact]
    public void A_billion_laughs_document_fails_fast_instead_of_expanding()
    {
        var clock = Stopwatch.StartNew();

        var result = Reader.Read(Yaml.BillionLaughs(), "lol.yaml");

        clock.Stop();
        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Contains("alias", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Aliases_copying_large_strings_are_capped_by_text_as_well_as_nodes()
    {
        // 17 aliases of a 1 MB string: only 17 nodes, but 17 MB of copied text (over the 16 MiB file cap) from a 1 MB file.
        var yaml = "kind: X\ns: &s \"" + new string('x', 1_000_000) + "\"\ncopies: [" + string.Join(",", Enumerable.Repeat("*s", 17)) + "]\n";

        var result = Reader.Read(yaml, "strings.yaml");

        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Moderate_alias_use_is_allowed()
    {
        var yaml = "kind: X\nlabels: &l {app: web, tier: front}\nuses: [" + string.Join(",", Enumerable.Repeat("*l", 100)) + "]\n";

        var result = Reader.Read(yaml, "ok.yaml");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(100, Assert.Single(result.Objects).Body["uses"]!.AsArray().Count);
    }

    [Fact]
    public void The_alias_budget_is_per_file_not_per_document()
    {
        var limits = RenderLimits.Default with { MaxAliasNodes = 10 };
        var document = "kind: X\na: &a [1, 2]\nb: [*a, *a]\n"; // 6 alias nodes per document

        Assert.True(new SafeYamlReader(limits).Read(document, "one.yaml").Succeeded);
        var result = new SafeYamlReader(limits).Read(document + "---\n" + document, "two.yaml");
        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("[", "", "]")]
    [InlineData("{a: ", "1", "}")]
    [InlineData("- ", "x", "")]
    public void A_100k_deep_document_is_a_clear_error_not_a_crash(string open, string inner, string close)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 100_000)) + inner + string.Concat(Enumerable.Repeat(close, 100_000));
        YamlReadResult? result = null;

        // A small stack: a recursive reader would overflow here and take the test host down.
        var thread = new Thread(() => result = Reader.Read(deep, "deep.yaml"), maxStackSize: 256 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "reading did not finish");

        var error = Assert.Single(result!.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Contains("deeper than 64", error.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_allowed_and_one_more_is_not()
    {
        var reader = new SafeYamlReader(RenderLimits.Default with { MaxDepth = 4 });

        Assert.True(reader.Read("kind: X\na: {b: {c: [1]}}\n", "ok.yaml").Succeeded);
        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(reader.Read("kind: X\na: {b: {c: [[1]]}}\n", "deep.yaml").Errors).Code);
    }

    [Fact]
    public void More_than_10000_documents_is_an_error()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i <= 10_000; i++)
        {
            yaml.Append("---\n");
        }

        var error = Assert.Single(Reader.Read(yaml.ToString(), "many.yaml").Errors);

        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Contains("10000 documents", error.Message);
    }

    [Fact]
    public void Documents_and_objects_are_charged_to_a_shared_budget()
    {
        var limits = RenderLimits.Default with { MaxObjects = 3 };
        var reader = new SafeYamlReader(limits);
        var budget = new RenderBudget(limits);

        Assert.True(reader.Read(Yaml.ConfigMap("a") + "---\n" + Yaml.ConfigMap("b"), "1.yaml", budget).Succeeded);
        var second = reader.Read(Yaml.ConfigMap("c") + "---\n" + Yaml.ConfigMap("d"), "2.yaml", budget);

        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(second.Errors).Code);
        Assert.True(budget.IsExhausted);
    }

    [Fact]
    public void List_items_count_as_objects()
    {
        var reader = new SafeYamlReader(RenderLimits.Default with { MaxObjects = 2 });

        var result = reader.Read("kind: List\nitems: [{kind: A}, {kind: B}, {kind: C}]\n", "l.yaml");

        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Content_over_the_size_cap_is_refused_before_parsing()
    {
        var reader = new SafeYamlReader(RenderLimits.Default with { MaxFileBytes = 100 });

        var result = reader.Read("kind: X\nv: \"" + new string('é', 60) + "\"\n", "big.yaml"); // < 100 chars, > 100 bytes

        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Json_with_tab_indentation_and_a_byte_order_mark_is_read()
    {
        var json = "\uFEFF{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"ConfigMap\",\n\t\"metadata\": {\"name\": \"j\"},\n\t\"data\": {\"n\": \"1\"},\n\t\"list\": [1, 2.5, true, null]\n}\n";

        var result = Reader.Read(json, "cm.json");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("""[1,2.5,true,null]""", Assert.Single(result.Objects).Body["list"]!.ToJsonString());
        Assert.Equal("\"1\"", result.Objects[0].Body["data"]!["n"]!.ToJsonString());
    }

    [Fact]
    public void Invalid_limits_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SafeYamlReader(RenderLimits.Default with { MaxDepth = 0 }));
    }
}
