using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.Kube.Api;
using k8s.Autorest;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub's own API server refuses a bad enum or duration at apply time (nothing reaches the hub to stall on), accepts
/// what the examples and docs write, fills in the schema's defaults, and explains every field (<c>kubectl explain</c>).
/// Creates are server-side dry runs: the hub never sees these objects.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class CrdValidationTests(FleetFixture fleet)
{
    private const string Ns = "default";

    public static TheoryData<string, string, string> BadValues() => new()
    {
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "sync": {"drift": "Sometimes"}}""", "spec.sync.drift" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "sync": {"interval": "5 minutes"}}""", "spec.sync.interval" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "sync": {"timeout": "60"}}""", "spec.sync.timeout" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "rollout": {"strategy": "Canary"}}""", "spec.rollout.strategy" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "rollout": {"progressDeadline": "soon"}}""", "spec.rollout.progressDeadline" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "rollout": {"strategy": "Staged", "stages": [{"name": "prod", "after": [{"type": "TimedWait", "duration": "1d"}]}]}}""", "spec.rollout.stages[0].after[0].duration" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "placement": {"tolerations": [{"key": "pci", "effect": "NoSchedule"}]}}""", "spec.placement.tolerations[0].effect" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "deletionPolicy": "Keep"}""", "spec.deletionPolicy" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "helm": {"releaseName": "a-release-name-longer-than-helms-limit-of-53-characters"}}""", "spec.helm.releaseName" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "helm": {"clusterValues": [{"values": {"a": 1}}]}}""", "spec.helm.clusterValues[0].clusterSelector" },
        { BundleResource.Plural, """{"sourceRef": {"name": "s"}, "overrides": [{"name": "r", "clusterSelector": {}, "env": [{"name": "A", "value": "1", "mode": "Replace"}]}]}""", "spec.overrides[0].env[0].mode" },
        { GitRepositoryResource.Plural, """{"url": "https://example.com/fleet.git", "interval": "1 minute"}""", "spec.interval" },
        { GitRepositoryResource.Plural, """{"url": "https://example.com/fleet.git", "ref": {"commit": "abc123"}}""", "spec.ref.commit" },
        { FlotillaApi.ClusterPlural, """{"taints": [{"key": "pci", "effect": "NoExecute"}]}""", "spec.taints[0].effect" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task The_API_server_refuses_a_bad_value_naming_the_field(string plural, string spec, string field)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => DryRunCreateAsync(plural, JsonNode.Parse(spec)!.AsObject()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        // v1.20 names a field inside a list without its index (spec.taints.effect); newer servers with it.
        Assert.Contains(WithoutIndexes(field), WithoutIndexes(e.Response.Content));
    }

    private static string WithoutIndexes(string path) => Regex.Replace(path, @"\[\d+\]|\.\d+(?=\.)", "");

    [Fact]
    public async Task Good_values_are_accepted_and_the_schema_defaults_filled_in()
    {
        var bundle = await DryRunCreateAsync(BundleResource.Plural, JsonNode.Parse("""
            {
              "sourceRef": {"name": "s"},
              "sync": {"drift": "Warn", "interval": "1h30m", "timeout": "500ms"},
              "placement": {"tolerations": [{"key": "pci", "effect": "PreferNoSelect", "tolerationSeconds": 60}],
                            "prioritizers": [{"type": "ClusterProperty", "property": "cost"}]},
              "rollout": {"strategy": "Staged", "maxConcurrency": "50%", "maxFailures": 1, "minSuccessTime": "1.5m",
                          "stages": [{"name": "prod", "before": [{"type": "Approval"}], "after": [{"type": "TimedWait", "duration": "10m"}]}]},
              "overrides": [{"name": "r", "priority": 1, "clusterSelector": {}, "targets": [{"kind": "ConfigMap"}],
                             "env": [{"name": "A", "value": "1"}], "labels": {"legacy": null}, "mergePatch": {"data": {"x": null}}}]
            }
            """)!.AsObject());
        var spec = bundle["spec"]!;
        Assert.Equal("10m", spec["rollout"]!["progressDeadline"]!.GetValue<string>());
        Assert.Equal("Pause", spec["rollout"]!["onFailure"]!.GetValue<string>());
        Assert.Equal("Equal", spec["placement"]!["tolerations"]![0]!["operator"]!.GetValue<string>());
        Assert.Equal("Highest", spec["placement"]!["prioritizers"]![0]!["prefer"]!.GetValue<string>());
        Assert.Equal(1, spec["placement"]!["prioritizers"]![0]!["weight"]!.GetValue<int>());
        Assert.Equal("Set", spec["overrides"]![0]!["env"]![0]!["mode"]!.GetValue<string>());
        Assert.True(spec["overrides"]![0]!["labels"]!.AsObject().ContainsKey("legacy"), "a null label (remove it) must survive");
        Assert.Equal("Delete", spec["deletionPolicy"]!.GetValue<string>());

        var source = await DryRunCreateAsync(GitRepositoryResource.Plural, JsonNode.Parse("""
            {"url": "https://example.com/fleet.git", "ref": {"commit": "0123456789abcdef0123456789abcdef01234567"}}
            """)!.AsObject());
        Assert.Equal("1m", source["spec"]!["interval"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubectl_applies_the_example_fleet_refuses_a_bad_duration_and_explains_every_field()
    {
        var dir = Directory.CreateTempSubdirectory("flotilla-crd-");
        try
        {
            var example = await File.ReadAllTextAsync(Path.Combine(ToolRunner.RepositoryRoot, "examples", "fleet", "bundles", "fleet.yaml"));
            var good = Path.Combine(dir.FullName, "fleet.yaml");
            await File.WriteAllTextAsync(good, example.Replace("REPO_URL", "file:///srv/fleet"));
            var applied = await KubectlAsync("apply", "--dry-run=server", "-f", good);
            Assert.True(applied.ExitCode == 0, applied.ToString());

            var bad = Path.Combine(dir.FullName, "bad.yaml");
            await File.WriteAllTextAsync(bad, example.Replace("REPO_URL", "file:///srv/fleet").Replace("interval: 30s", "interval: 30 seconds"));
            var refused = await KubectlAsync("apply", "--dry-run=server", "-f", bad);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("spec.interval", refused.Stderr);

            // The API server publishes a changed CRD's OpenAPI a moment after it is established.
            await Eventually.WaitAsync(async () => (await KubectlAsync("explain", "bundle.spec.sync")).Stdout.Contains("Resync interval per cluster"),
                TimeSpan.FromSeconds(60), "kubectl explain shows the CRD's descriptions", async () => (await KubectlAsync("explain", "bundle.spec.sync")).ToString());
            var listed = await KubectlAsync("get", "flotilla", "--all-namespaces");
            Assert.True(listed.ExitCode == 0, listed.ToString());
            Assert.Contains("cluster.flotilla.io/member-1", listed.Stdout);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private Task<CliResult> KubectlAsync(params string[] args) =>
        ToolRunner.RunAsync(ToolRunner.Kubectl, ["--kubeconfig", fleet.State.KubeconfigPath, "--context", fleet.State.Hub.Name, .. args], new Dictionary<string, string?>());

    /// <summary>A server-side dry-run create: validated and defaulted exactly as a create, stored nowhere.</summary>
    private async Task<JsonObject> DryRunCreateAsync(string plural, JsonObject spec)
    {
        var kind = plural switch { BundleResource.Plural => "Bundle", GitRepositoryResource.Plural => "GitRepository", _ => FlotillaApi.ClusterKind };
        var metadata = new JsonObject { ["name"] = $"dry-run-{Guid.NewGuid():N}"[..20] };
        var body = new JsonObject { ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
        var created = plural == FlotillaApi.ClusterPlural
            ? await fleet.Hub.CustomObjects.CreateClusterCustomObjectAsync(body, FlotillaApi.Group, FlotillaApi.Version, plural, dryRun: "All")
            : await fleet.Hub.CustomObjects.CreateNamespacedCustomObjectAsync(body, FlotillaApi.Group, FlotillaApi.Version, Ns, plural, dryRun: "All");
        return JsonNode.Parse(KubernetesJson.Serialize(created))!.AsObject();
    }
}
