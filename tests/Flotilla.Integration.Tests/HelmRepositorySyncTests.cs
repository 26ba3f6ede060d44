using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Git.Tests.Charts;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A HelmRepository served over TLS with Basic auth by a real nginx (built with helm package / helm repo index), read by
/// the hub with the Secret's credentials and CA: a Bundle's version range resolves to the newest allowed chart, which
/// syncs to the member and shows as the bundle's revision, and to a newer chart once the index changes; <c>flotilla diff</c>
/// and <c>flotilla plan</c> preview such a bundle from the repository's current index.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class HelmRepositorySyncTests(FleetFixture fleet)
{
    private const string Ns = "helmrepo";
    private const string Label = "helmrepo-test";

    [Fact]
    public async Task A_range_follows_the_index_to_a_newer_chart_and_the_resolved_version_shows_in_status()
    {
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var served = Directory.CreateTempSubdirectory("flotilla-it-charts-").FullName;
        await TestChartRepository.PackageAsync(TestChartRepository.WebChart("1.0.0"), served);
        await TestChartRepository.IndexAsync(served);
        using var ca = LocalCertificateAuthority.Create("flotilla-it-charts-ca");
        await using var server = await NginxStaticServer.StartAsync(served, "reader", password, ca);
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "charts-auth", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]>
            {
                ["username"] = Encoding.UTF8.GetBytes("reader"), ["password"] = Encoding.UTF8.GetBytes(password), ["ca.crt"] = Encoding.UTF8.GetBytes(ca.CertificatePem),
            },
        }, Ns);
        Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-1", $"{Label}=yes")).ExitCode);
        using var member = fleet.Member("member-1");
        try
        {
            await hub.ApplyAsync(HelmRepositoryResource.Plural, new JsonObject
            {
                ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = HelmRepositoryResource.KindName,
                ["metadata"] = new JsonObject { ["name"] = "charts", ["namespace"] = Ns },
                ["spec"] = new JsonObject { ["url"] = server.Url.AbsoluteUri, ["interval"] = "1h", ["secretRef"] = new JsonObject { ["name"] = "charts-auth" } },
            });
            await hub.ApplyAsync(BundleResource.Plural, new JsonObject
            {
                ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
                ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = Ns },
                ["spec"] = new JsonObject
                {
                    ["sourceRef"] = new JsonObject { ["kind"] = HelmRepositoryResource.KindName, ["name"] = "charts" },
                    ["targetNamespace"] = "helmrepo-web",
                    ["sync"] = new JsonObject { ["createNamespace"] = true },
                    ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [Label] = "yes" } } },
                    ["helm"] = new JsonObject { ["chart"] = new JsonObject { ["name"] = "web", ["version"] = ">=1.0.0 <2.0.0" } },
                },
            });

            await WaitForVersionAsync(hub, member, "1.0.0");

            await TestChartRepository.PackageAsync(TestChartRepository.WebChart("1.1.0"), served);
            await TestChartRepository.PackageAsync(TestChartRepository.WebChart("2.0.0"), served);
            await TestChartRepository.IndexAsync(served);
            await fleet.Hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["flotilla.io/reconcile-requested-at"] = DateTimeOffset.UtcNow.ToString("O") } },
            }.ToJsonString(), V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, Ns, HelmRepositoryResource.Plural, "charts");

            await WaitForVersionAsync(hub, member, "1.1.0");
            var repository = KubeJson.As<HelmRepositoryResource>(await fleet.Hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, HelmRepositoryResource.Plural, "charts"));
            Assert.Equal("True", repository.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
            Assert.Matches("^[0-9a-f]{64}$", repository.Status.IndexDigest);
            Assert.DoesNotContain(password, KubernetesJson.Serialize(repository));

            // flotilla diff and plan resolve the chart from the repository as the hub does (its Secret, its range): at the
            // synced version nothing would change...
            var same = await CliRunner.RunAsync(fleet.Env, "diff", "bundle", "web", "-n", Ns, "--cluster", "member-1");
            Assert.True(same.ExitCode == 0, same.ToString());
            Assert.Contains("at web@1.1.0+sha256:", same.Stdout);
            // ...and a version the index offers that the hub has not read yet (its interval is an hour) is what they preview.
            await TestChartRepository.PackageAsync(TestChartRepository.WebChart("1.2.0"), served);
            await TestChartRepository.IndexAsync(served);
            var newer = await CliRunner.RunAsync(fleet.Env, "diff", "bundle", "web", "-n", Ns, "--cluster", "member-1");
            Assert.True(newer.ExitCode == 1, newer.ToString());
            Assert.Contains("at web@1.2.0+sha256:", newer.Stdout);
            Assert.Matches(@"(?m)^\+ +version: ""?1\.2\.0""?$", newer.Stdout);
            var plan = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "-o", "json");
            Assert.True(plan.ExitCode == 1, plan.ToString());
            Assert.StartsWith("web@1.2.0+sha256:", JsonNode.Parse(plan.Stdout)!["bundles"]![0]!["revision"]!.GetValue<string>());
            foreach (var output in new[] { same, newer, plan }) Assert.DoesNotContain(password, output.Stdout + output.Stderr);
            Assert.Equal("1.1.0", (await member.CoreV1.ReadNamespacedConfigMapAsync("web", "helmrepo-web")).Data["version"]); // previews change nothing
        }
        finally
        {
            try { await hub.DeleteBundleAsync("web"); } catch (k8s.Autorest.HttpOperationException) { }
            await Eventually.WaitAsync(async () => await hub.FindBundleAsync("web") is null, TimeSpan.FromSeconds(120), "web bundle deleted");
            await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-1", $"{Label}-");
            Directory.Delete(served, recursive: true);
        }
    }

    private static async Task WaitForVersionAsync(HubObjects hub, k8s.Kubernetes member, string version)
    {
        await Eventually.WaitAsync(async () =>
            (await hub.BundleStatusAsync("web")).Status is { } status
            && status.DesiredRevision?.StartsWith($"web@{version}+sha256:", StringComparison.Ordinal) == true
            && await hub.SyncedAsync("web", status.DesiredRevision, ["member-1"]),
            TimeSpan.FromSeconds(120), $"web {version} synced", async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("web")).Status));
        Assert.Equal(version, (await member.CoreV1.ReadNamespacedConfigMapAsync("web", "helmrepo-web")).Data["version"]);
    }
}
