using System.Text.Json.Nodes;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class DiffViewTests
{
    // "hunter2" and "s3cret", base64.
    private const string Hunter2 = "aHVudGVyMg==";
    private const string Secret = "czNjcmV0";

    [Fact]
    public void Secret_values_are_redacted_on_both_sides_and_changed_keys_are_marked()
    {
        var live = Secret_("""{"same":"c2FtZQ==","changed":"YmVmb3Jl","removed":"Z29uZQ=="}""", hash: "1111aaaa");
        var after = Secret_($$"""{"same":"c2FtZQ==","changed":"{{Hunter2}}","added":"{{Secret}}"}""", hash: "2222bbbb");

        var (before, shown) = DiffView.Of(live, after);

        Assert.Equal(SecretRedactor.Redacted, before!["data"]!["same"]!.GetValue<string>());
        Assert.Equal(SecretRedactor.Redacted, before["data"]!["changed"]!.GetValue<string>());
        Assert.Equal(SecretRedactor.Redacted, before["data"]!["removed"]!.GetValue<string>());
        Assert.Equal(SecretRedactor.Redacted, shown!["data"]!["same"]!.GetValue<string>());
        Assert.Equal(SecretRedactor.RedactedChanged, shown["data"]!["changed"]!.GetValue<string>());
        Assert.Equal(SecretRedactor.RedactedChanged, shown["data"]!["added"]!.GetValue<string>());
        var text = before.ToJsonString() + shown.ToJsonString();
        foreach (var value in new[] { Hunter2, Secret, "YmVmb3Jl", "c2FtZQ==", "Z29uZQ==", "hunter2" })
            Assert.DoesNotContain(value, text);
    }

    [Fact]
    public void The_desired_hash_is_never_shown_and_other_annotations_are()
    {
        var (before, after) = DiffView.Of(Secret_("{}", hash: "1111aaaa"), Secret_("{}", hash: "2222bbbb"));

        var text = before!.ToJsonString() + after!.ToJsonString();
        Assert.DoesNotContain(OwnershipLabels.DesiredHash, text);
        Assert.DoesNotContain("1111aaaa", text);
        Assert.DoesNotContain("2222bbbb", text);
        Assert.Equal("shop/web", after["metadata"]!["annotations"]![OwnershipLabels.BundleName]!.GetValue<string>());
    }

    [Fact]
    public void Other_kinds_show_their_values_without_server_bookkeeping()
    {
        var live = JsonNode.Parse("""
            {"kind":"ConfigMap","apiVersion":"v1","data":{"mode":"fast"},"status":{},
             "metadata":{"name":"a","uid":"u","resourceVersion":"7","managedFields":[{"manager":"flotilla"}],"annotations":{"flotilla.io/desired-hash":"x"}}}
            """)!.AsObject();

        var (before, _) = DiffView.Of(live, null);

        Assert.Equal("""{"apiVersion":"v1","data":{"mode":"fast"},"kind":"ConfigMap","metadata":{"name":"a"}}""", before!.ToJsonString());
    }

    [Fact]
    public void A_secret_last_applied_by_kubectl_does_not_show_its_values_through_the_annotation()
    {
        var live = Secret_($$"""{"password":"{{Hunter2}}"}""", hash: "h");
        live["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] =
            $$$"""{"apiVersion":"v1","data":{"password":"{{{Hunter2}}}"},"kind":"Secret","metadata":{"name":"db","namespace":"shop"}}""";

        var (before, after) = DiffView.Of(live, Secret_($$"""{"password":"{{Hunter2}}"}""", hash: "h"));

        Assert.DoesNotContain(Hunter2, before!.ToJsonString() + after!.ToJsonString());
    }

    private static JsonObject Secret_(string data, string hash) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Secret","type":"Opaque",
         "metadata":{"name":"db","namespace":"shop","annotations":{"{{{OwnershipLabels.DesiredHash}}}":"{{{hash}}}","{{{OwnershipLabels.BundleName}}}":"shop/web"}},
         "data":{{{data}}}}
        """)!.AsObject();
}
