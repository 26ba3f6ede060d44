using Flotilla.Core.Charts;

namespace Flotilla.Core.Tests.Charts;

public sealed class ChartRenderKeyTests
{
    private static ChartRenderKey Key(string source = "rev1", string values = "{}", string kube = "v1.20.2", string[]? apis = null, bool tests = false,
        string release = "web", string ns = "shop", string path = "charts/web", bool skipCrds = false) =>
        new(source, path, release, ns, values, kube, apis ?? ["apps/v1", "v1"], tests, skipCrds);

    [Fact]
    public void Equal_inputs_give_the_same_key_whatever_the_order_discovery_answered_in()
    {
        Assert.Equal(Key(apis: ["v1", "apps/v1"]), Key(apis: ["apps/v1", "v1", "v1"]));
        Assert.Equal(Key().Id, Key(apis: ["v1", "apps/v1"]).Id);
    }

    public static TheoryData<ChartRenderKey> Different() =>
    [
        Key(source: "rev2"), Key(values: """{"a":1}"""), Key(kube: "v1.21.0"), Key(apis: ["apps/v1", "v1", "example.com/v1"]),
        Key(tests: true), Key(release: "web2"), Key(ns: "other"), Key(path: "charts/web2"), Key(skipCrds: true),
    ];

    [Theory]
    [MemberData(nameof(Different))]
    public void Every_input_is_part_of_the_key(ChartRenderKey other)
    {
        Assert.NotEqual(Key(), other);
        Assert.NotEqual(Key().Id, other.Id);
    }

    [Fact]
    public void Fields_cannot_run_into_each_other()
    {
        Assert.NotEqual(Key(release: "ab", ns: "c").Id, Key(release: "a", ns: "bc").Id);
    }
}
