using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Tests.Charts;

public sealed class ChartHookTests
{
    private static Manifest WithAnnotations(string name, params (string Key, string Value)[] annotations)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) },
        };
        Assert.True(ManifestValidator.TryCreate(body, new SourceLocation("chart"), out var manifest, out _));
        return manifest;
    }

    [Theory]
    [InlineData(null, HookPhase.None)]
    [InlineData("pre-install", HookPhase.PreSync)]
    [InlineData("pre-upgrade", HookPhase.PreSync)]
    [InlineData("post-install, post-upgrade", HookPhase.PostSync)]
    [InlineData("pre-install,post-install", HookPhase.PreSync)]
    [InlineData("test", HookPhase.Test)]
    [InlineData("test-success", HookPhase.Test)]
    [InlineData("pre-delete", HookPhase.Ignored)]
    [InlineData("post-rollback", HookPhase.Ignored)]
    [InlineData("crd-install", HookPhase.Ignored)]
    public void Hook_annotations_map_as_Argo_CD_maps_them(string? hook, HookPhase expected)
    {
        var manifest = hook is null ? WithAnnotations("j") : WithAnnotations("j", (ChartHook.HookAnnotation, hook));

        Assert.Equal(expected, ChartHook.PhaseOf(manifest));
    }

    [Fact]
    public void Tests_and_hooks_that_never_run_here_are_left_out()
    {
        var rendered = new[]
        {
            WithAnnotations("plain"), WithAnnotations("pre", (ChartHook.HookAnnotation, "pre-install")),
            WithAnnotations("post", (ChartHook.HookAnnotation, "post-upgrade")), WithAnnotations("test", (ChartHook.HookAnnotation, "test")),
            WithAnnotations("delete", (ChartHook.HookAnnotation, "pre-delete")),
        };

        Assert.Equal(["plain", "pre", "post"], ChartHook.Applied(rendered, includeTests: false).Select(m => m.Ref.Name));
        Assert.Equal(["plain", "pre", "post", "test"], ChartHook.Applied(rendered, includeTests: true).Select(m => m.Ref.Name));
    }
}
