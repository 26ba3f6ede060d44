using System.Text.RegularExpressions;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using Flotilla.Kube.Registry;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub runs with <c>--simulate-workloads</c>; clusters the local fleet did not create must get no fake statuses.
/// The hub's own API server stands in for a "real" cluster: it is reachable, but holds no local fleet marker.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class SimulatorSafetyTests(FleetFixture fleet)
{
    [Fact]
    public async Task The_simulator_skips_clusters_without_the_local_fleet_mark_says_so_once_and_writes_nothing_there()
    {
        const string ns = "sim-safety";
        var registry = new ClusterRegistry(fleet.Hub);
        var ca = await File.ReadAllTextAsync(fleet.State.CaPath);
        var hubServer = fleet.State.Hub;
        var kubeconfig = LocalKubeconfig.Single(hubServer.Name, hubServer.Server, ca, hubServer.AdminToken);
        using var hubAsMember = KubeClientFactory.FromUserKubeconfig(fleet.State.KubeconfigPath, hubServer.Name);
        using var member = fleet.Member("member-1");
        try
        {
            // No annotation at all; and one that copies the annotation but points at a server without the member half.
            await registry.JoinAsync("unmarked", kubeconfig, hubServer.Server, [], [], [], CancellationToken.None);
            await registry.JoinAsync("forged", kubeconfig, hubServer.Server, [], [], [], CancellationToken.None,
                new Dictionary<string, string> { [LocalFleetMarker.Annotation] = LocalFleetMarker.FleetId(ca) });

            await Eventually.WaitAsync(async () => Skips(await ReadLogAsync(), "unmarked").Count == 1, TimeSpan.FromSeconds(30),
                "hub says it skips 'unmarked'", async () => Tail(await ReadLogAsync()));
            // The member half is read only once the cluster is Available, i.e. exactly when a simulator would start.
            await Eventually.WaitAsync(async () => Skips(await ReadLogAsync(), "forged").Count == 1, TimeSpan.FromSeconds(60),
                "hub says it skips 'forged'", async () => Tail(await ReadLogAsync()));

            foreach (var client in new[] { hubAsMember, member })
            {
                await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } });
                await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(), ns);
            }
            // Positive control: the same Deployment on a marked member is simulated ready.
            await Eventually.WaitAsync(async () => (await member.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Status?.ReadyReplicas == 1,
                TimeSpan.FromSeconds(30), "Deployment on member-1 simulated ready");
            var untouched = await hubAsMember.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
            Assert.Null(untouched.Status?.ReadyReplicas);
            Assert.Null(untouched.Status?.ObservedGeneration);

            var log = await ReadLogAsync();
            Assert.Contains("it is not a member the local fleet created (no flotilla.io/local-fleet annotation)", Assert.Single(Skips(log, "unmarked")));
            Assert.Contains("holds no local fleet marker", Assert.Single(Skips(log, "forged")));
            foreach (var m in fleet.State.Members) Assert.Empty(Skips(log, m.Name));
        }
        finally
        {
            await registry.RemoveAsync("unmarked", CancellationToken.None);
            await registry.RemoveAsync("forged", CancellationToken.None);
            try { await hubAsMember.CoreV1.DeleteNamespaceAsync(ns); }
            catch (k8s.Autorest.HttpOperationException) { }
        }
    }

    private async Task<string> ReadLogAsync() => await File.ReadAllTextAsync(fleet.HubLog);

    private static List<string> Skips(string log, string cluster) =>
        Regex.Matches(log, $@"^.*workload simulator skips cluster {Regex.Escape(cluster)}:.*$", RegexOptions.Multiline).Select(m => m.Value).ToList();

    private static string Tail(string log) => string.Join(" | ", log.Split('\n').TakeLast(8));

    private static V1Deployment Deployment() => new()
    {
        Metadata = new() { Name = "web" },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.25" }] },
            },
        },
    };
}
