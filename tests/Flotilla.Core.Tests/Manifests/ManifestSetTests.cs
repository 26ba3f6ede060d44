using Flotilla.Core.Manifests;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Manifests;

public sealed class ManifestSetTests
{
    [Fact]
    public void Orders_manifests_by_identity_regardless_of_input_order()
    {
        var a = ManifestBuilder.Manifest("v1", "Service", "web", "shop");
        var b = ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop");
        var c = ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop");

        var forward = ManifestBuilder.Set(a, b, c);
        var backward = ManifestBuilder.Set(c, b, a);

        Assert.Equal(["ConfigMap/shop/cfg", "Service/shop/web", "apps/Deployment/shop/web"], forward.Refs.Select(r => r.ToString()));
        Assert.Equal(forward.Refs, backward.Refs);
        Assert.Equal(3, forward.Count);
        Assert.Equal(forward.Manifests, forward.ToList());
    }

    [Fact]
    public void Warnings_of_every_manifest_are_collected_with_identity_and_source()
    {
        var psp = ManifestBuilder.Manifest("policy/v1beta1", "PodSecurityPolicy", "speaker", "metallb-system", path: "metallb.yaml", document: 1);
        var plain = ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop");

        var set = ManifestBuilder.Set(plain, psp);

        var warning = Assert.Single(set.Warnings);
        Assert.Equal("policy/PodSecurityPolicy/speaker", warning.Object.ToString());
        Assert.Equal("metallb.yaml[1]: namespace metallb-system ignored: policy/PodSecurityPolicy/speaker is cluster-scoped", warning.ToString());
    }

    [Fact]
    public void Duplicate_identity_is_rejected_naming_both_files()
    {
        var first = ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop", path: "base/web.yaml", document: 0);
        var second = ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop", path: "extra/copy.yaml", document: 3);

        Assert.False(ManifestSet.TryBuild([first, second], out var set, out var errors));

        Assert.Null(set);
        var error = Assert.Single(errors);
        Assert.Equal(ManifestErrorCode.DuplicateObject, error.Code);
        Assert.Equal(second.Source, error.Source);
        Assert.Contains("base/web.yaml[0]", error.Message);
        Assert.Contains("extra/copy.yaml[3]", error.Message);
        Assert.Contains("apps/Deployment/shop/web", error.Message);
    }

    [Fact]
    public void Same_object_at_two_api_versions_is_a_duplicate()
    {
        var v1 = ManifestBuilder.Manifest("autoscaling/v1", "HorizontalPodAutoscaler", "web", "shop", path: "a.yaml");
        var v2 = ManifestBuilder.Manifest("autoscaling/v2", "HorizontalPodAutoscaler", "web", "shop", path: "b.yaml");

        Assert.False(ManifestSet.TryBuild([v1, v2], out _, out var errors));
        Assert.Equal(ManifestErrorCode.DuplicateObject, Assert.Single(errors).Code);
    }

    [Fact]
    public void Every_extra_copy_is_reported()
    {
        var copies = Enumerable.Range(0, 3).Select(i => ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "shop", path: $"f{i}.yaml")).ToArray();

        Assert.False(ManifestSet.TryBuild(copies, out _, out var errors));

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("f0.yaml", e.Message));
    }

    [Fact]
    public void Same_name_in_different_namespaces_or_kinds_is_not_a_duplicate()
    {
        var set = ManifestBuilder.Set(
            ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "a"),
            ManifestBuilder.Manifest("v1", "ConfigMap", "cfg", "b"),
            ManifestBuilder.Manifest("v1", "Secret", "cfg", "a"));

        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void Lookup_ignores_version()
    {
        var manifest = ManifestBuilder.Manifest("apps/v1", "Deployment", "web", "shop");
        var set = ManifestBuilder.Set(manifest);

        Assert.True(set.TryGet(new ObjectRef("apps", "v1beta2", "Deployment", "shop", "web"), out var found));
        Assert.Same(manifest, found);
        Assert.False(set.Contains(new ObjectRef("apps", "v1", "Deployment", "other", "web")));
    }

    [Fact]
    public void Empty_set_is_empty()
    {
        Assert.Empty(ManifestSet.Empty);
        Assert.True(ManifestSet.TryBuild([], out var set, out _));
        Assert.Empty(set);
    }
}
