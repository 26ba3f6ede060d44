using System.Text.Json.Nodes;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Every real public manifest set of <c>../shared/realworld/manifests</c>, unchanged, synced by the hub to two members:
/// each entry point reaches Synced, stays Synced with nothing written and no drift on its next resync, explains any
/// health it cannot reach on a node-less fleet, and leaves nothing behind when its bundle is deleted.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class RealWorldSyncTests(FleetFixture fleet)
{
    private const string Ns = "realworld";
    private static readonly string[] Placed = ["member-1", "member-2"];

    /// <summary>(bundle name, path in the corpus, target namespace to create or null). One entry point per set where a set
    /// has several that would fight over the same cluster-scoped objects (flagger's mesh overlays; knative's core file
    /// repeats the 12 CRDs of its CRD file, so a bundle of each is refused as OwnedByOtherBundle — as it should be).</summary>
    private static readonly (string Name, string Path, string? CreateNamespace)[] EntryPoints =
    [
        ("dashboard", "kubernetes-dashboard", null),
        ("flux2", "flux2", null),
        ("metallb", "metallb", null),
        ("knative-core", "knative-serving/2-serving-core.yaml", null),
        ("knative-hpa", "knative-serving/3-serving-hpa.yaml", null),
        ("keda", "keda/config/default", null),
        ("descheduler", "descheduler/kubernetes/cronjob", null),
        ("npd", "node-problem-detector/deployment/node-problem-detector.yaml", null),
        ("external-dns", "external-dns/kustomize", "external-dns"),
        ("hello-world", "kustomize-examples/examples/helloWorld", "kustomize-hello"),
        ("multibases", "kustomize-examples/examples/multibases", "kustomize-multibases"),
        ("ldap-staging", "kustomize-examples/examples/ldap/overlays/staging", "kustomize-ldap"),
        ("flagger", "flagger/kustomize/kubernetes", null),
        ("flagger-tester", "flagger/kustomize/tester", "test"),
    ];

    private static string Corpus() => Path.GetFullPath(Path.Combine(ToolRunner.RepositoryRoot, "..", "shared", "realworld", "manifests"));

    [Fact]
    public async Task Every_real_world_set_syncs_to_two_members_stays_in_sync_and_leaves_nothing_when_deleted()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, "repo-realworld");
        var corpus = Corpus();
        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(corpus, f), File.ReadAllText);
        var revision = repo.Commit(files, "the real-world corpus, unchanged");
        await hub.SourceAsync("corpus", repo.Url);
        foreach (var m in Placed) Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", m, "realworld=yes")).ExitCode);
        try
        {
            foreach (var (name, path, createNamespace) in EntryPoints)
            {
                var spec = new JsonObject
                {
                    ["sourceRef"] = new JsonObject { ["name"] = "corpus" }, ["path"] = path,
                    ["sync"] = new JsonObject { ["interval"] = "15s" },
                    ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["realworld"] = "yes" } } },
                };
                if (createNamespace is not null)
                {
                    spec["targetNamespace"] = createNamespace;
                    spec["sync"]!["createNamespace"] = true;
                }
                await hub.ApplyAsync(BundleResource.Plural, new JsonObject
                {
                    ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
                    ["spec"] = spec,
                });
            }

            // Synced everywhere, then a later resync that writes nothing and finds no drift.
            foreach (var (name, _, _) in EntryPoints)
            {
                await Eventually.WaitAsync(() => hub.SyncedAsync(name, revision, Placed), TimeSpan.FromSeconds(240), $"{name} synced",
                    async () => KubernetesJson.Serialize((await hub.BundleStatusAsync(name)).Status?.Clusters));
                var first = (await hub.BundleStatusAsync(name)).Status!.Clusters!.ToDictionary(c => c.Name, c => c.LastSyncTime);
                await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync(name)).Status!.Clusters!.All(c => c.LastSyncTime > first[c.Name]),
                    TimeSpan.FromSeconds(60), $"{name} resynced");
                foreach (var entry in (await hub.BundleStatusAsync(name)).Status!.Clusters!)
                {
                    Assert.True(entry.Phase == "Synced" && entry.AppliedRevision == revision, $"{name} on {entry.Name}: {entry.Phase} {entry.Error}");
                    Assert.True(entry.Written is null, $"{name} on {entry.Name}: the resync wrote {entry.Written} objects (false drift)");
                    Assert.True(entry.Drift is null, $"{name} on {entry.Name}: drift {entry.Drift}");
                    if (entry.Health != "Healthy") Assert.False(string.IsNullOrEmpty(entry.HealthMessage), $"{name} on {entry.Name}: {entry.Health} without a reason");
                    Console.WriteLine($"{name} on {entry.Name}: {entry.Objects} objects, {entry.Health}{(entry.HealthMessage is null ? "" : $" ({entry.HealthMessage})")}{(entry.Warnings is null ? "" : $"; warnings: {entry.Warnings}")}");
                }
            }

            // Deleting each bundle leaves nothing of it on either member.
            var inventories = new Dictionary<(string Bundle, string Member), Inventory>();
            foreach (var (name, _, _) in EntryPoints)
                foreach (var m in Placed)
                {
                    using var member = fleet.Member(m);
                    var map = await member.CoreV1.ReadNamespacedConfigMapAsync($"inv-{OwnershipLabels.ValueFor(Ns, name)}", "flotilla-system");
                    inventories[(name, m)] = Inventory.Parse(map.Data["entries"]);
                }
            foreach (var (name, _, _) in EntryPoints)
                await fleet.Hub.CustomObjects.DeleteNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, BundleResource.Plural, name);
            await Eventually.WaitAsync(async () => ((JsonElementList(await fleet.Hub.CustomObjects.ListNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, BundleResource.Plural)))) == 0,
                TimeSpan.FromSeconds(180), "every bundle deleted (finalizers done)");
            foreach (var ((name, m), inventory) in inventories)
            {
                var member = new DynamicClient(fleet.Member(m));
                foreach (var entry in inventory.Entries)
                {
                    var resource = await member.ResourceForAsync(entry.ApiVersion, entry.Kind, CancellationToken.None);
                    if (resource is null) continue; // its CRD was pruned with it
                    var live = await member.GetAsync(resource, resource.Namespaced ? entry.Namespace : null, entry.Name, CancellationToken.None);
                    Assert.True(live is null || live["metadata"]?["deletionTimestamp"] is not null, $"{name}: {entry} left on {m}");
                }
            }
        }
        finally
        {
            foreach (var m in Placed) await CliRunner.RunAsync(fleet.Env, "cluster", "label", m, "realworld-");
        }
    }

    private static int JsonElementList(object list) => KubeJson.As<BundleResourceList>(list).Items.Count;
}
