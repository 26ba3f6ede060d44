using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A member with an aggregated API whose Service has no endpoints: discovery of that one group answers 503 (the state of
/// metrics-server, a custom-metrics adapter or any extension API server that is down). Only that group's objects may
/// suffer: the rest of a bundle syncs, the status names the group, and the cluster is not taken for unreachable. The
/// bundle also carries an APIService of its own, which a 1.20 API server cannot server-side apply (it panics and resets
/// the stream): it is written with create / merge patch, labelled as the bundle's, and the status says so.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class AggregatedApiDiscoveryTests(FleetFixture fleet)
{
    private const string Ns = "agg-discovery";
    private const string Target = "agg-discovery-target";
    private const string Member = "member-3";
    private const string Group = "widgets.unavailable.flotilla.test";
    private const string ApiServiceName = "v1." + Group;
    private const string BundledApiService = "v1.gadgets.unavailable.flotilla.test";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private static string ConfigMap(string name) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Target}\ndata:\n  value: \"1\"\n";

    [Fact]
    public async Task A_group_whose_discovery_fails_holds_back_only_its_own_object_and_names_the_group()
    {
        using var member = fleet.Member(Member);
        await RegisterUnavailableApiAsync(member);
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, "repo-agg-discovery");
        var revision = repo.Commit(new Dictionary<string, string>
        {
            ["a.yaml"] = ConfigMap("a"),
            ["b.yaml"] = ConfigMap("b"),
            ["widget.yaml"] = $"apiVersion: {Group}/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: {Target}\nspec:\n  size: 3\n",
            ["apiservice.yaml"] = $"apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: {BundledApiService}\nspec:\n  group: gadgets.unavailable.flotilla.test\n"
                + "  version: v1\n  insecureSkipTLSVerify: true\n  groupPriorityMinimum: 100\n  versionPriority: 100\n  service:\n    namespace: agg-backend\n    name: widgets-api\n",
        });
        await hub.SourceAsync("repo", repo.Url);
        var label = await CliRunner.RunAsync(fleet.Env, "cluster", "label", Member, "aggdiscovery=yes");
        Assert.True(label.ExitCode == 0, label.ToString());
        try
        {
            await hub.ApplyAsync(BundleResource.Plural, new JsonObject
            {
                ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
                ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = Ns },
                ["spec"] = new JsonObject
                {
                    ["sourceRef"] = new JsonObject { ["name"] = "repo" }, ["path"] = ".", ["targetNamespace"] = Target,
                    ["sync"] = new JsonObject { ["createNamespace"] = true },
                    ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["aggdiscovery"] = "yes" } } },
                },
            });

            await Eventually.WaitAsync(async () => await ConfigMapExistsAsync(member, "a") && await ConfigMapExistsAsync(member, "b"), Converge,
                "the ConfigMaps beside the object of the unavailable group reach the member", () => StatusAsync(hub));
            await Eventually.WaitAsync(async () => (await EntryAsync(hub))?.Error?.Contains(Group) == true, Converge,
                "the member's status names the failing group", () => StatusAsync(hub));

            var entry = (await EntryAsync(hub))!;
            Console.WriteLine($"{Member}: {entry.Phase} stage={entry.Stage} partial={entry.PartialRevision}: {entry.Error}");
            Assert.Equal("Failed", entry.Phase);
            Assert.Contains("Widget", entry.Error);
            Assert.Contains("503", entry.Error);
            Assert.Equal("Resources", entry.Stage);
            Assert.Equal(revision, entry.PartialRevision);
            var cluster = KubeJson.As<ClusterResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, Member));
            Assert.Equal("True", cluster.Status?.Conditions?.Single(c => c.Type == "Available").Status);

            // The later stage went on past the held-back object: the bundle's APIService, written with the fallback.
            var bundled = await member.ApiregistrationV1.ReadAPIServiceAsync(BundledApiService);
            Assert.Equal(OwnershipLabels.ValueFor(Ns, "app"), bundled.Metadata.Labels[OwnershipLabels.Bundle]);
            Assert.Contains($"apiregistration.k8s.io/APIService/{BundledApiService}: this cluster cannot server-side apply APIService; written with create / merge patch", entry.Warnings);

            // The same rule for people: `flotilla get` of a kind in another group still answers on that member.
            var get = await CliRunner.RunAsync(fleet.Env, "get", "deployments", "-A", "--clusters", "aggdiscovery=yes");
            Assert.True(get.ExitCode == 0, get.ToString());
        }
        finally
        {
            await member.ApiregistrationV1.DeleteAPIServiceAsync(ApiServiceName);
            await fleet.Hub.CustomObjects.DeleteNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, BundleResource.Plural, "app");
            await Eventually.WaitAsync(async () =>
            {
                try { await member.ApiregistrationV1.ReadAPIServiceAsync(BundledApiService); return false; }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return true; }
            }, Converge, "the bundle's APIService pruned with the bundle");
            await CliRunner.RunAsync(fleet.Env, "cluster", "label", Member, "aggdiscovery-");
        }
    }

    /// <summary>
    /// Registers <c>v1.widgets.unavailable.flotilla.test</c> backed by a Service that has no endpoints, ahead of every
    /// built-in group (highest priority), and waits until the member answers that group's discovery with 503.
    /// </summary>
    private static async Task RegisterUnavailableApiAsync(Kubernetes member)
    {
        await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "agg-backend" } });
        await member.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new() { Name = "widgets-api" },
            Spec = new() { Selector = new Dictionary<string, string> { ["app"] = "nothing-runs-here" }, Ports = [new V1ServicePort { Port = 443, Protocol = "TCP" }] },
        }, "agg-backend");
        await member.ApiregistrationV1.CreateAPIServiceAsync(new V1APIService
        {
            Metadata = new() { Name = ApiServiceName },
            Spec = new()
            {
                Group = Group, Version = "v1", GroupPriorityMinimum = 19999, VersionPriority = 15, InsecureSkipTLSVerify = true,
                Service = new Apiregistrationv1ServiceReference { NamespaceProperty = "agg-backend", Name = "widgets-api", Port = 443 },
            },
        });
        var discovery = new DynamicClient(member);
        await Eventually.WaitAsync(async () =>
        {
            try { await discovery.ResourceForAsync($"{Group}/v1", "Widget", CancellationToken.None); return false; }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable) { return true; }
        }, TimeSpan.FromSeconds(30), $"discovery of {Group}/v1 answers 503");
    }

    private static async Task<bool> ConfigMapExistsAsync(Kubernetes member, string name)
    {
        try { await member.CoreV1.ReadNamespacedConfigMapAsync(name, Target); return true; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return false; }
    }

    private static async Task<BundleClusterStatus?> EntryAsync(HubObjects hub) =>
        (await hub.BundleStatusAsync("app")).Status?.Clusters?.SingleOrDefault(c => c.Name == Member);

    private static async Task<string> StatusAsync(HubObjects hub) => KubernetesJson.Serialize((await hub.BundleStatusAsync("app")).Status);
}
