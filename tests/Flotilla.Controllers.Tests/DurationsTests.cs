using System.Text.RegularExpressions;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests;

public sealed class DurationsTests
{
    /// <summary>The pattern the CRDs give duration fields, so the API server refuses what the hub could not parse.</summary>
    private static readonly string Pattern = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(
            CrdInstaller.Manifests().Single(m => m.Name == "bundles.flotilla.io").Yaml)
        .Spec.Versions.Single().Schema.OpenAPIV3Schema.Properties["spec"].Properties["sync"].Properties["interval"].Pattern;

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5h", 5400)]
    public void The_schema_accepts_what_the_hub_parses(string text, double seconds)
    {
        Assert.Matches(Pattern, text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));
    }

    [Theory]
    [InlineData("5 minutes")]
    [InlineData("10")]
    [InlineData("-5m")]
    [InlineData("1d")]
    [InlineData("soon")]
    public void The_schema_refuses_what_the_hub_cannot_parse(string text)
    {
        Assert.DoesNotMatch(Pattern, text);
        Assert.Throws<ArgumentException>(() => Durations.Parse(text));
    }
}
