using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Manifests;

public sealed class ManifestValidatorTests
{
    private static readonly SourceLocation Source = new("apps/web.yaml", 2);

    [Fact]
    public void Valid_namespaced_object_gets_its_identity_and_source()
    {
        var body = ManifestBuilder.Body("apps/v1", "Deployment", "web", "shop");

        Assert.True(ManifestValidator.TryCreate(body, Source, out var manifest, out var errors));

        Assert.Empty(errors);
        Assert.Equal(new ObjectRef("apps", "v1", "Deployment", "shop", "web"), manifest.Ref);
        Assert.Equal("v1", manifest.Ref.Version);
        Assert.Same(body, manifest.Object);
        Assert.Equal(Source, manifest.Source);
    }

    [Fact]
    public void Core_group_object_has_empty_group()
    {
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body("v1", "ConfigMap", "cfg", "shop"), Source, out var manifest, out _));
        Assert.Equal("", manifest.Ref.Group);
        Assert.Equal("v1", manifest.Ref.Version);
    }

    [Fact]
    public void Empty_namespace_means_none()
    {
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body("v1", "ConfigMap", "cfg", ""), Source, out var manifest, out _));
        Assert.Equal("", manifest.Ref.Namespace);
    }

    [Theory]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "system:controller:thing")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "aggregate_to_admin")]
    [InlineData("apps/v1", "Deployment", "web.v2-canary")]
    [InlineData("example.com/v1alpha1", "Widget", "w")]
    public void Accepts_names_valid_for_their_kind(string apiVersion, string kind, string name)
    {
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body(apiVersion, kind, name), Source, out _, out var errors), string.Join("; ", errors));
    }

    [Theory]
    [InlineData("apps/v1", "Deployment", "Web")]
    [InlineData("apps/v1", "Deployment", "web_1")]
    [InlineData("apps/v1", "Deployment", "-web")]
    [InlineData("apps/v1", "Deployment", "system:web")]
    [InlineData("v1", "Service", "web.shop")]
    [InlineData("v1", "Namespace", "a.b")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "a/b")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "..")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "has space")]
    public void Rejects_names_invalid_for_their_kind(string apiVersion, string kind, string name)
    {
        var error = AssertSingleError(ManifestBuilder.Body(apiVersion, kind, name));
        Assert.Contains("metadata.name", error.Message);
    }

    [Fact]
    public void Rejects_name_longer_than_a_subdomain()
    {
        AssertSingleError(ManifestBuilder.Body("v1", "ConfigMap", new string('a', 254)));
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body("v1", "ConfigMap", new string('a', 63) + "." + new string('b', 63)), Source, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("apps/")]
    [InlineData("/v1")]
    [InlineData("Apps/v1")]
    [InlineData("apps/v1/extra")]
    [InlineData("apps/V1")]
    public void Rejects_malformed_api_versions(string apiVersion)
    {
        var error = AssertSingleError(ManifestBuilder.Body(apiVersion, "Deployment", "web"));
        Assert.Contains("apiVersion", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1Deployment")]
    [InlineData("Deploy-ment")]
    public void Rejects_malformed_kinds(string kind)
    {
        var error = AssertSingleError(ManifestBuilder.Body("apps/v1", kind, "web"));
        Assert.Contains("kind", error.Message);
    }

    [Fact]
    public void Reports_every_missing_field_of_one_object_naming_the_document()
    {
        var body = new JsonObject { ["spec"] = new JsonObject() };

        Assert.False(ManifestValidator.TryCreate(body, Source, out var manifest, out var errors));

        Assert.Null(manifest);
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.Equal(ManifestErrorCode.InvalidObject, e.Code);
            Assert.Equal(Source, e.Source);
            Assert.StartsWith("apps/web.yaml[2]: ", e.ToString());
        });
        Assert.Contains(errors, e => e.Message.Contains("apiVersion"));
        Assert.Contains(errors, e => e.Message.Contains("kind"));
        Assert.Contains(errors, e => e.Message.Contains("metadata.name"));
    }

    [Fact]
    public void Rejects_non_string_fields()
    {
        var body = new JsonObject
        {
            ["apiVersion"] = 1,
            ["kind"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["name"] = true, ["namespace"] = 3 },
        };

        Assert.False(ManifestValidator.TryCreate(body, Source, out _, out var errors));
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Rejects_generate_name_without_name()
    {
        var body = ManifestBuilder.Body("batch/v1", "Job", "x");
        body["metadata"] = new JsonObject { ["generateName"] = "migrate-" };

        var error = AssertSingleError(body);
        Assert.Contains("generateName", error.Message);
    }

    [Fact]
    public void Rejects_metadata_that_is_not_a_mapping()
    {
        var body = ManifestBuilder.Body("v1", "ConfigMap", "x");
        body["metadata"] = "x";

        AssertSingleError(body);
    }

    [Fact]
    public void Rejects_invalid_namespace()
    {
        var error = AssertSingleError(ManifestBuilder.Body("v1", "ConfigMap", "cfg", "Shop"));
        Assert.Contains("metadata.namespace", error.Message);
    }

    [Theory]
    [InlineData("v1", "Namespace", "Namespace/x")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "rbac.authorization.k8s.io/ClusterRole/x")]
    [InlineData("apiextensions.k8s.io/v1", "CustomResourceDefinition", "apiextensions.k8s.io/CustomResourceDefinition/widgets.example.com")]
    [InlineData("policy/v1beta1", "PodSecurityPolicy", "policy/PodSecurityPolicy/x")]
    public void Namespace_on_builtin_cluster_scoped_kinds_is_dropped_with_a_warning(string apiVersion, string kind, string described)
    {
        var name = kind == "CustomResourceDefinition" ? "widgets.example.com" : "x";
        var body = ManifestBuilder.Body(apiVersion, kind, name, "shop");

        Assert.True(ManifestValidator.TryCreate(body, Source, out var manifest, out var errors), string.Join("\n", errors));

        Assert.Equal("", manifest.Ref.Namespace);
        Assert.False(manifest.Object["metadata"]!.AsObject().ContainsKey("namespace"));
        Assert.Equal([$"namespace shop ignored: {described} is cluster-scoped"], manifest.Warnings);
    }

    [Fact]
    public void A_valid_object_has_no_warnings()
    {
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body("v1", "ConfigMap", "cfg", "shop"), Source, out var manifest, out _));
        Assert.Empty(manifest.Warnings);
    }

    [Fact]
    public void Namespace_on_a_same_named_kind_in_another_group_is_allowed()
    {
        Assert.True(ManifestValidator.TryCreate(ManifestBuilder.Body("example.com/v1", "Namespace", "x", "shop"), Source, out var m, out _));
        Assert.Equal("shop", m.Ref.Namespace);
    }

    [Fact]
    public void Long_invalid_values_are_truncated_in_messages()
    {
        var error = AssertSingleError(ManifestBuilder.Body("apps/v1", "Deployment", new string('X', 500)));
        Assert.True(error.Message.Length < 300, error.Message);
    }

    private static ManifestError AssertSingleError(JsonObject body)
    {
        Assert.False(ManifestValidator.TryCreate(body, Source, out var manifest, out var errors));
        Assert.Null(manifest);
        var error = Assert.Single(errors);
        Assert.Equal(ManifestErrorCode.InvalidObject, error.Code);
        Assert.Equal(Source, error.Source);
        return error;
    }
}
