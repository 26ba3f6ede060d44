using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class DesiredObjectsTests
{
    private static Manifest ConfigMap()
    {
        var body = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"a":"1"}}""")!.AsObject();
        Assert.True(ManifestValidator.TryCreate(body, new SourceLocation("cm.yaml", 0), out var manifest, out _));
        return manifest;
    }

    [Fact]
    public void Every_member_gets_the_one_preparation_of_a_manifest()
    {
        var shared = new DesiredObjects();
        var manifest = ConfigMap();
        var policy = new SyncPolicy(TargetNamespace: "shop");
        var first = shared.For(manifest, true, policy, "default.web", "default/web");
        Assert.Same(first, shared.For(manifest, true, new SyncPolicy(TargetNamespace: "shop"), "default.web", "default/web"));
        Assert.Equal(DesiredObjectFactory.Create(manifest, true, policy, "default.web", "default/web").Hash, first.Hash);
    }

    [Fact]
    public void Different_scope_policy_or_owner_prepare_apart()
    {
        var shared = new DesiredObjects();
        var manifest = ConfigMap();
        var policy = new SyncPolicy(TargetNamespace: "shop");
        var first = shared.For(manifest, true, policy, "default.web", "default/web");
        Assert.NotSame(first, shared.For(manifest, false, policy, "default.web", "default/web"));
        Assert.Equal("other", shared.For(manifest, true, policy with { TargetNamespace = "other" }, "default.web", "default/web").Ref.Namespace);
        Assert.NotEqual(first.Hash, shared.For(manifest, true, policy, "default.api", "default/api").Hash);
    }

    [Fact]
    public void A_new_render_of_the_same_text_is_prepared_afresh()
    {
        var shared = new DesiredObjects();
        var policy = new SyncPolicy();
        Assert.NotSame(shared.For(ConfigMap(), true, policy, "o", "n/b"), shared.For(ConfigMap(), true, policy, "o", "n/b"));
    }
}
