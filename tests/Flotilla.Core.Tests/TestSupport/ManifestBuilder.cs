using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Tests.TestSupport;

/// <summary>Builds valid manifests and raw objects for tests.</summary>
internal static class ManifestBuilder
{
    public static JsonObject Body(string apiVersion, string kind, string name, string? ns = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    public static Manifest Manifest(string apiVersion, string kind, string name, string? ns = null, string path = "test.yaml", int document = 0)
    {
        var ok = ManifestValidator.TryCreate(Body(apiVersion, kind, name, ns), new SourceLocation(path, document), out var manifest, out var errors);
        Assert.True(ok, string.Join("; ", errors));
        return manifest!;
    }

    public static ManifestSet Set(params Manifest[] manifests)
    {
        Assert.True(ManifestSet.TryBuild(manifests, out var set, out var errors), string.Join("; ", errors));
        return set!;
    }

    public static ObjectRef Ref(string apiVersion, string kind, string name, string ns = "")
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0
            ? new ObjectRef("", apiVersion, kind, ns, name)
            : new ObjectRef(apiVersion[..slash], apiVersion[(slash + 1)..], kind, ns, name);
    }
}
