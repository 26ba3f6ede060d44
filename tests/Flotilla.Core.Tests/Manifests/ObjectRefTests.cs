using Flotilla.Core.Manifests;

namespace Flotilla.Core.Tests.Manifests;

public sealed class ObjectRefTests
{
    [Fact]
    public void Identity_ignores_version()
    {
        var v1 = new ObjectRef("apps", "v1", "Deployment", "shop", "web");
        var beta = new ObjectRef("apps", "v1beta1", "Deployment", "shop", "web");

        Assert.Equal(v1, beta);
        Assert.Equal(v1.GetHashCode(), beta.GetHashCode());
        Assert.Equal(0, v1.CompareTo(beta));
        Assert.Single(new HashSet<ObjectRef> { v1, beta });
    }

    [Theory]
    [InlineData("apps", "Deployment", "shop", "web2")]
    [InlineData("extensions", "Deployment", "shop", "web")]
    [InlineData("apps", "StatefulSet", "shop", "web")]
    [InlineData("apps", "Deployment", "other", "web")]
    [InlineData("apps", "Deployment", "shop", "Web")]
    public void Any_identity_field_differing_makes_refs_unequal(string group, string kind, string ns, string name)
    {
        var a = new ObjectRef("apps", "v1", "Deployment", "shop", "web");
        var b = new ObjectRef(group, "v1", kind, ns, name);

        Assert.NotEqual(a, b);
        Assert.NotEqual(0, a.CompareTo(b));
    }

    [Theory]
    [InlineData("group")]
    [InlineData("kind")]
    [InlineData("namespace")]
    [InlineData("name")]
    public void A_copy_with_another_identity_field_hashes_its_own_identity_not_the_one_it_was_copied_from(string field)
    {
        var original = new ObjectRef("apps", "v1", "Deployment", "shop", "web");
        _ = original.GetHashCode();

        var copy = field switch
        {
            "group" => original with { Group = "extensions" },
            "kind" => original with { Kind = "StatefulSet" },
            "namespace" => original with { Namespace = "other" },
            _ => original with { Name = "api" },
        };
        var fresh = new ObjectRef(copy.Group, copy.Version, copy.Kind, copy.Namespace, copy.Name);

        Assert.Equal(fresh.GetHashCode(), copy.GetHashCode());
        Assert.Equal(2, new HashSet<ObjectRef> { original, copy }.Count);
        Assert.Contains(fresh, new HashSet<ObjectRef> { copy });
        Assert.Equal(original.GetHashCode(), (original with { Version = "v2" }).GetHashCode());
    }

    [Fact]
    public void Ordering_is_ordinal_by_group_kind_namespace_name()
    {
        var refs = new[]
        {
            new ObjectRef("apps", "v1", "Deployment", "shop", "b"),
            new ObjectRef("", "v1", "Service", "shop", "a"),
            new ObjectRef("apps", "v1", "Deployment", "shop", "B"),
            new ObjectRef("apps", "v1", "Deployment", "", "z"),
            new ObjectRef("", "v1", "ConfigMap", "shop", "a"),
        };

        Array.Sort(refs);

        Assert.Equal(
            ["ConfigMap/shop/a", "Service/shop/a", "apps/Deployment/z", "apps/Deployment/shop/B", "apps/Deployment/shop/b"],
            refs.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("apps", "Deployment", "shop", "web", "apps/Deployment/shop/web")]
    [InlineData("", "Service", "shop", "web", "Service/shop/web")]
    [InlineData("", "Namespace", "", "shop", "Namespace/shop")]
    [InlineData("rbac.authorization.k8s.io", "ClusterRole", "", "view", "rbac.authorization.k8s.io/ClusterRole/view")]
    public void ToString_names_group_kind_namespace_and_name(string group, string kind, string ns, string name, string expected)
    {
        Assert.Equal(expected, new ObjectRef(group, "v1", kind, ns, name).ToString());
    }

    [Fact]
    public void ApiVersion_omits_the_core_group()
    {
        Assert.Equal("v1", new ObjectRef("", "v1", "Service", "a", "b").ApiVersion);
        Assert.Equal("apps/v1", new ObjectRef("apps", "v1", "Deployment", "a", "b").ApiVersion);
    }

    [Fact]
    public void Null_fields_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new ObjectRef(null!, "v1", "Service", "a", "b"));
        Assert.Throws<ArgumentNullException>(() => new ObjectRef("", "v1", "Service", "a", null!));
    }
}
