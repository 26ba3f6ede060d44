using System.Globalization;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using k8s;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Helm hooks synced by the hub to a real member, with the simulated job controller: a chart written here with a
/// pre-install Job (before-hook-creation), a post-install Job (hook-succeeded), a ConfigMap and a Deployment. Watches on
/// the member show the order by resourceVersion (one etcd: a global order): the pre Job is created and Complete before
/// the ConfigMap and Deployment exist; the post Job is created only after both exist and the Deployment is available,
/// then deleted after it completes, and later syncs do not create it again; a new revision that changes the pre Job
/// recreates it (a new uid).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ChartHookSyncTests(FleetFixture fleet, ITestOutputHelper output)
{
    private const string Ns = "charthooks";
    private const string Member = "member-1";
    private const string PlacedLabel = "chart-hooks-test";
    private const string Selector = "flotilla.io/bundle=charthooks.hooked";
    private static readonly ApiResource Jobs = new("batch", "v1", "Job", "jobs", true);
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    private static readonly ApiResource Deployments = new("apps", "v1", "Deployment", "deployments", true);

    private static Dictionary<string, string> Chart(string migration) => new()
    {
        ["charts/hooked/Chart.yaml"] = "apiVersion: v2\nname: hooked\nversion: 1.0.0\n",
        ["charts/hooked/values.yaml"] = $"migration: {migration}\n",
        ["charts/hooked/templates/pre.yaml"] = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations:
                helm.sh/hook: pre-install,pre-upgrade
                helm.sh/hook-delete-policy: before-hook-creation
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: migrate
                    image: registry.invalid/migrate:1
                    args: ["--to", {{ .Values.migration | quote }}]
            """,
        ["charts/hooked/templates/post.yaml"] = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: notify
              annotations:
                helm.sh/hook: post-install,post-upgrade
                helm.sh/hook-delete-policy: hook-succeeded
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: notify
                    image: registry.invalid/notify:1
            """,
        ["charts/hooked/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n",
        ["charts/hooked/templates/deploy.yaml"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: registry.invalid/web:1}]
            """,
    };

    private static long Version(RecordedEvent e) => long.Parse(e.Object["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string Name(RecordedEvent e) => e.Object["metadata"]!["name"]!.GetValue<string>();

    private static string Uid(RecordedEvent e) => e.Object["metadata"]!["uid"]!.GetValue<string>();

    private static bool Complete(RecordedEvent e) =>
        (e.Object["status"]?["conditions"] as JsonArray)?.Any(c => c?["type"]?.GetValue<string>() == "Complete" && c["status"]?.GetValue<string>() == "True") == true;

    private static RecordedEvent First(RecordedWatch watch, string name, Func<RecordedEvent, bool> match, string what) =>
        watch.Events.FirstOrDefault(e => Name(e) == name && match(e))
        ?? throw new Xunit.Sdk.XunitException($"no event: {what}; saw {string.Join(", ", watch.Events.Select(e => $"{e.Type} {Name(e)}@{Version(e)}"))}");

    [Fact]
    public async Task Pre_hook_completes_before_resources_post_hook_runs_after_them_and_is_deleted_once_and_a_changed_pre_hook_is_recreated()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, "repo-chart-hooks");
        var first = repo.Commit(Chart("v1"), "a chart with hooks");
        await hub.SourceAsync("hooks", repo.Url);
        Assert.Equal(0, (await CliRunner.RunAsync(fleet.Env, "cluster", "label", Member, $"{PlacedLabel}=yes")).ExitCode);
        using var member = fleet.Member(Member);
        await using var jobs = await RecordedWatch.StartAsync(member, Jobs, Selector);
        await using var configMaps = await RecordedWatch.StartAsync(member, ConfigMaps, Selector);
        await using var deployments = await RecordedWatch.StartAsync(member, Deployments, Selector);
        async Task<string> Status() => KubernetesJson.Serialize((await hub.BundleStatusAsync("hooked")).Status);
        try
        {
            await hub.ApplyAsync(BundleResource.Plural, new JsonObject
            {
                ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
                ["metadata"] = new JsonObject { ["name"] = "hooked", ["namespace"] = Ns },
                ["spec"] = new JsonObject
                {
                    ["sourceRef"] = new JsonObject { ["name"] = "hooks" }, ["path"] = "charts/hooked", ["targetNamespace"] = "chart-hooked",
                    ["sync"] = new JsonObject { ["createNamespace"] = true, ["interval"] = "5s" },
                    ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [PlacedLabel] = "yes" } } },
                    ["helm"] = new JsonObject(),
                },
            });
            // While the hooks run, the cluster's status says what the sync waits for (a sync that waits is not a failed one).
            var seen = new HashSet<string>();
            await Eventually.WaitAsync(async () =>
            {
                var entry = (await hub.BundleStatusAsync("hooked")).Status?.Clusters?.FirstOrDefault(c => c.Name == Member);
                if (entry is not null) seen.Add($"{entry.Phase}/{entry.Health}/{entry.Stage}: {entry.HealthMessage}");
                return entry is { Phase: "Synced" } && entry.AppliedRevision == first;
            }, TimeSpan.FromSeconds(180), "hooked synced", Status);
            output.WriteLine($"statuses seen: {string.Join(" | ", seen)}");
            Assert.Contains(seen, s => s.StartsWith("OutOfSync/Progressing/PreSyncHooks: waiting for hook Job chart-hooked/migrate", StringComparison.Ordinal));
            Assert.DoesNotContain(seen, s => s.StartsWith("Failed", StringComparison.Ordinal));
            await Eventually.WaitAsync(() => Task.FromResult(jobs.Events.Any(e => e.Type == "DELETED" && Name(e) == "notify")), TimeSpan.FromSeconds(30), "post hook deleted", Status);

            // Pre hook: created, then Complete, before the ConfigMap and the Deployment were created.
            var migrateAdded = First(jobs, "migrate", e => e.Type == "ADDED", "migrate created");
            var migrateComplete = First(jobs, "migrate", Complete, "migrate Complete");
            var settingsAdded = First(configMaps, "settings", e => e.Type == "ADDED", "settings created");
            var webAdded = First(deployments, "web", e => e.Type == "ADDED", "web created");
            var webAvailable = First(deployments, "web", e => (e.Object["status"]?["availableReplicas"]?.GetValue<int>() ?? 0) > 0, "web available");
            Assert.True(Version(migrateAdded) < Version(migrateComplete) && Version(migrateComplete) < Version(settingsAdded) && Version(migrateComplete) < Version(webAdded),
                $"migrate {Version(migrateAdded)}/{Version(migrateComplete)}, settings {Version(settingsAdded)}, web {Version(webAdded)}");

            // Post hook: created after the ConfigMap and the Deployment (and once the Deployment was available), then deleted after it completed.
            var notifyAdded = First(jobs, "notify", e => e.Type == "ADDED", "notify created");
            var notifyComplete = First(jobs, "notify", Complete, "notify Complete");
            var notifyDeleted = First(jobs, "notify", e => e.Type == "DELETED", "notify deleted");
            Assert.True(Version(settingsAdded) < Version(notifyAdded) && Version(webAvailable) < Version(notifyAdded),
                $"settings {Version(settingsAdded)}, web available {Version(webAvailable)}, notify {Version(notifyAdded)}");
            Assert.True(Version(notifyComplete) < Version(notifyDeleted), $"notify complete {Version(notifyComplete)}, deleted {Version(notifyDeleted)}");
            output.WriteLine($"resourceVersions: migrate added {Version(migrateAdded)}, Complete {Version(migrateComplete)}; settings added {Version(settingsAdded)}; "
                + $"web added {Version(webAdded)}, available {Version(webAvailable)}; notify added {Version(notifyAdded)}, Complete {Version(notifyComplete)}, deleted {Version(notifyDeleted)}");

            // Later syncs (every 5 s) neither create the post hook again nor call it missing.
            var afterDelete = (await hub.BundleStatusAsync("hooked")).Status!.Clusters!.Single(c => c.Name == Member).LastSyncTime!.Value;
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("hooked")).Status!.Clusters!.Single(c => c.Name == Member).LastSyncTime > afterDelete.AddSeconds(10),
                TimeSpan.FromSeconds(60), "two more syncs", Status);
            Assert.Single(jobs.Events, e => e.Type == "ADDED" && Name(e) == "notify");
            Assert.Single(jobs.Events, e => e.Type == "ADDED" && Name(e) == "migrate");
            var cluster = (await hub.BundleStatusAsync("hooked")).Status!.Clusters!.Single(c => c.Name == Member);
            Assert.True(cluster is { Phase: "Synced", Health: "Healthy" }, await Status());
            var inventory = await member.CoreV1.ReadNamespacedConfigMapAsync("inv-charthooks.hooked", "flotilla-system");
            Assert.Contains("Succeeded ", inventory.Data["hooks"]);
            Assert.Contains("_notify_", inventory.Data["hooks"]);

            // A new revision changes the pre Job: it is deleted and created anew (a Job cannot be updated), and runs again.
            var oldUid = Uid(migrateAdded);
            var second = repo.Commit(Chart("v2"), "migrate to v2");
            await hub.RequestFetchAsync("hooks");
            await Eventually.WaitAsync(() => hub.SyncedAsync("hooked", second, [Member]), TimeSpan.FromSeconds(180), "hooked synced at the second revision", Status);
            var recreated = await member.BatchV1.ReadNamespacedJobAsync("migrate", "chart-hooked");
            Assert.NotEqual(oldUid, recreated.Metadata.Uid);
            Assert.Equal(["--to", "v2"], recreated.Spec.Template.Spec.Containers[0].Args);
            var oldDeleted = First(jobs, "migrate", e => e.Type == "DELETED" && Uid(e) == oldUid, "old migrate deleted");
            var newAdded = First(jobs, "migrate", e => e.Type == "ADDED" && Uid(e) == recreated.Metadata.Uid, "new migrate created");
            Assert.True(Version(oldDeleted) < Version(newAdded));
            output.WriteLine($"migrate uid {oldUid} deleted at {Version(oldDeleted)}, {recreated.Metadata.Uid} created at {Version(newAdded)}; "
                + $"notify created {jobs.Events.Count(e => e.Type == "ADDED" && Name(e) == "notify")} time(s) in all");
            // The post hook's content did not change: it is not run again.
            Assert.Single(jobs.Events, e => e.Type == "ADDED" && Name(e) == "notify");
        }
        finally
        {
            try { await hub.DeleteBundleAsync("hooked"); }
            catch (k8s.Autorest.HttpOperationException) { } // never created: the test failed before
            await Eventually.WaitAsync(async () => await hub.FindBundleAsync("hooked") is null, TimeSpan.FromSeconds(120), "hooked deleted");
            await CliRunner.RunAsync(fleet.Env, "cluster", "label", Member, $"{PlacedLabel}-");
        }
    }
}
