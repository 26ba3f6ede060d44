using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Bench.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub's per-member request limit (AIMD) against a real API server that answers 429: the member's own API Priority
/// and Fairness is given a priority level of about three concurrent requests that rejects the rest (no queue), for the
/// hub's identity on that member and the bundle's namespace only. The hub starts at 8 at once, so its first round
/// overflows; the limit must come down, the bundle must still sync, and the 429s must stay few — the member's own
/// rejection counter and the hub's count of 429 answers (<c>flotilla_member_requests_total</c>) must agree. The bundle is placed by a label written in the same
/// update of the Cluster as the throttled credentials, so no sync of it can go out under the old ones.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class MemberThrottlingTests(FleetFixture fleet, ITestOutputHelper output)
{
    private const string PlacementLabel = "throttle-test";

    private const string Ns = "throttled";
    private const string Identity = "flotilla-throttled";
    private const int ConfigMaps = 40;

    private static Dictionary<string, string> Files()
    {
        var files = new Dictionary<string, string> { ["ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n" };
        for (var i = 0; i < ConfigMaps; i++)
            files[$"cm-{i}.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {Ns}\ndata:\n  value: \"v1\"\n";
        return files;
    }

    [Fact]
    public async Task A_member_answering_429_gets_fewer_requests_at_once_and_the_bundle_still_syncs()
    {
        var members = fleet.State.Members.Select(m => m.Name).ToList();
        var throttled = members[^1];
        using var member = fleet.Member(throttled);
        var cluster = KubeJson.As<ClusterResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, throttled));
        var original = cluster.Spec.CredentialsSecretRef!;
        var hub = new HubObjects(fleet.Hub, Ns);
        // The hub counts each member's 429s for its whole life; only this test's are compared.
        var earlier = "";
        await Eventually.WaitAsync(async () =>
        {
            try { earlier = await fleet.HubMetricsAsync(); return true; }
            catch (HttpRequestException) { return false; } // the hub is still starting (this test can be the collection's first)
        }, TimeSpan.FromSeconds(60), "the hub's /metrics");
        double TooManySince(string page, string cluster) => MetricsPage.Sum(page, "flotilla_member_requests_total", $"cluster=\"{cluster}\"", "code=\"429\"")
            - MetricsPage.Sum(earlier, "flotilla_member_requests_total", $"cluster=\"{cluster}\"", "code=\"429\"");
        try
        {
            // A cluster-admin identity that is not system:masters (whose requests APF exempts), and an APF priority level
            // of ~3 seats (1 share of ~206 over the server's 600) that rejects instead of queueing, for it in the namespace.
            var token = await ServiceAccountTokenAsync(member);
            await member.CustomObjects.CreateClusterCustomObjectAsync(PriorityLevel(), "flowcontrol.apiserver.k8s.io", "v1beta1", "prioritylevelconfigurations");
            await member.CustomObjects.CreateClusterCustomObjectAsync(FlowSchema(), "flowcontrol.apiserver.k8s.io", "v1beta1", "flowschemas");

            // The hub's credentials for that member become the throttled identity (the Cluster names other credentials:
            // read at once, a new client with a fresh limit of 8), and the member takes the label the bundle selects.
            var kubeconfig = LocalKubeconfig.Single(throttled, fleet.State.Members.Single(m => m.Name == throttled).Server, await File.ReadAllTextAsync(fleet.State.CaPath), token);
            await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = Identity },
                Data = new Dictionary<string, byte[]> { [original.Key ?? FlotillaApi.KubeconfigKey] = Encoding.UTF8.GetBytes(kubeconfig) },
            }, original.Namespace);
            await PointCredentialsAsync(throttled, new SecretReference { Name = Identity, Namespace = original.Namespace, Key = original.Key }, "yes");

            await hub.EnsureNamespaceAsync();
            var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
            var v1 = repo.Commit(Files());
            await hub.SourceAsync("repo", repo.Url);
            await hub.BundleAsync("app", "repo", ".", selector: new JsonObject { ["matchLabels"] = new JsonObject { [PlacementLabel] = "yes" } });
            var lowest = int.MaxValue;
            await Eventually.WaitAsync(async () =>
            {
                if (Gauge(await fleet.HubMetricsAsync(), "flotilla_member_concurrency_limit", throttled) is { } limit) lowest = Math.Min(lowest, (int)limit);
                return await hub.SyncedAsync("app", v1, [throttled]);
            }, TimeSpan.FromSeconds(180), $"the bundle synced to {throttled} through its throttled identity", pollEvery: TimeSpan.FromMilliseconds(50));

            using var metrics = new MemberMetrics(fleet.State);
            var rejected = MetricsPage.Sum(await metrics.PageAsync(throttled), "apiserver_flowcontrol_rejected_requests_total", $"flow_schema=\"{Identity}\"");
            var page = await fleet.HubMetricsAsync();
            output.WriteLine($"{rejected} requests rejected with 429 by {throttled}; the hub's limit for it went as low as {lowest}, now {Gauge(page, "flotilla_member_concurrency_limit", throttled)}");
            Assert.True(rejected > 0, "the member's API server rejected none of the hub's requests: the test throttled nothing");
            Assert.True(lowest < 8, $"the hub's limit for {throttled} was never seen below its initial 8 (lowest {lowest})");
            Assert.Equal(rejected, TooManySince(page, throttled));
            // AIMD keeps the overflow small: each 429 halves the limit, so the first round's overflow brings it under the
            // ~3 seats at once; a fixed 8 at once would have most of every round refused and retried.
            Assert.True(rejected < ConfigMaps, $"{rejected} requests refused with 429 for {ConfigMaps} objects (a dry-run and an apply each)");
            foreach (var other in members.Where(m => m != throttled)) Assert.Equal(0, TooManySince(page, other));
            Assert.Equal(ConfigMaps, (await member.CoreV1.ListNamespacedConfigMapAsync(Ns, labelSelector: "flotilla.io/managed-by=flotilla")).Items.Count);
        }
        finally
        {
            await PointCredentialsAsync(throttled, original, null);
            await IgnoreMissingAsync(() => member.CustomObjects.DeleteClusterCustomObjectAsync("flowcontrol.apiserver.k8s.io", "v1beta1", "flowschemas", Identity));
            await IgnoreMissingAsync(() => member.CustomObjects.DeleteClusterCustomObjectAsync("flowcontrol.apiserver.k8s.io", "v1beta1", "prioritylevelconfigurations", Identity));
            await IgnoreMissingAsync(() => fleet.Hub.CoreV1.DeleteNamespacedSecretAsync(Identity, original.Namespace));
            await IgnoreMissingAsync(() => member.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(Identity));
            await IgnoreMissingAsync(() => member.CoreV1.DeleteNamespacedServiceAccountAsync(Identity, "kube-system"));
            await IgnoreMissingAsync(() => hub.DeleteBundleAsync("app"));
            await Eventually.WaitAsync(async () => await hub.FindBundleAsync("app") is null, TimeSpan.FromSeconds(120), "the bundle deleted and cleaned up");
        }
    }

    private static async Task<string> ServiceAccountTokenAsync(Kubernetes member)
    {
        await member.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = Identity } }, "kube-system");
        await member.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = Identity },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Identity, NamespaceProperty = "kube-system" }],
        });
        string? token = null;
        // Kubernetes 1.20's token controller writes the account's token Secret a moment after the account.
        await Eventually.WaitAsync(async () =>
        {
            var account = await member.CoreV1.ReadNamespacedServiceAccountAsync(Identity, "kube-system");
            if (account.Secrets is not { Count: > 0 } secrets) return false;
            var secret = await member.CoreV1.ReadNamespacedSecretAsync(secrets[0].Name, "kube-system");
            token = secret.Data?.TryGetValue("token", out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
            return token is not null;
        }, TimeSpan.FromSeconds(30), "the service account's token");
        return token!;
    }

    private static JsonObject PriorityLevel() => JsonNode.Parse("""
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1beta1", "kind": "PriorityLevelConfiguration", "metadata": {"name": "IDENTITY"},
         "spec": {"type": "Limited", "limited": {"assuredConcurrencyShares": 1, "limitResponse": {"type": "Reject"}}}}
        """.Replace("IDENTITY", Identity).Replace("NAMESPACE", Ns))!.AsObject();

    private static JsonObject FlowSchema() => JsonNode.Parse("""
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1beta1", "kind": "FlowSchema", "metadata": {"name": "IDENTITY"},
         "spec": {"priorityLevelConfiguration": {"name": "IDENTITY"}, "matchingPrecedence": 100, "distinguisherMethod": {"type": "ByUser"},
                  "rules": [{"subjects": [{"kind": "ServiceAccount", "serviceAccount": {"name": "IDENTITY", "namespace": "kube-system"}}],
                             "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["NAMESPACE"]}]}]}}
        """.Replace("IDENTITY", Identity).Replace("NAMESPACE", Ns))!.AsObject();

    /// <summary>The Cluster's credentials and its placement label (null removes it), in one write.</summary>
    private Task PointCredentialsAsync(string cluster, SecretReference reference, string? label) =>
        fleet.Hub.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [PlacementLabel] = label } },
            ["spec"] = new JsonObject { ["credentialsSecretRef"] = new JsonObject { ["name"] = reference.Name, ["namespace"] = reference.Namespace, ["key"] = reference.Key } },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster);

    /// <summary>The value of <paramref name="name"/>'s sample for <paramref name="cluster"/>, or null when there is none.</summary>
    private static double? Gauge(string page, string name, string cluster) =>
        page.Split('\n').Where(l => l.StartsWith($"{name}{{cluster=\"{cluster}\"}} ", StringComparison.Ordinal))
            .Select(l => (double?)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>The sum of <paramref name="name"/>'s samples whose labels contain each of <paramref name="labels"/>.</summary>
    private static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try { await delete(); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { }
    }
}
