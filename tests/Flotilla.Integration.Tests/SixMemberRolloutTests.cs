using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>A local fleet of six members for the rollout tests that need two clusters per stage.</summary>
public sealed class SixMemberFleet() : FleetFixture(6);

/// <summary>
/// Staged rollouts over six members in three stages of two (the local fleet labels member-1/4 env=dev, member-2/5
/// env=staging, member-3/6 env=prod), the workload simulator failing the new revision on one member only
/// (an override annotates its Deployment <c>flotilla.io/simulate: fail</c>): the run never passes that member's stage
/// and <c>onFailure: Rollback</c> returns the stage's clusters to the old revision. A hub killed while a stage is in
/// flight resumes it without redoing the finished stage or skipping the next gate, and a newer commit supersedes the
/// run from the first stage. Prod's ConfigMaps are watched throughout: a revision that must not reach prod never does.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class SixMemberRolloutTests(SixMemberFleet fleet) : IClassFixture<SixMemberFleet>
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(120);
    private static readonly string[] All = ["member-1", "member-2", "member-3", "member-4", "member-5", "member-6"];
    private static readonly string[] Dev = ["member-1", "member-4"];
    private static readonly string[] Staging = ["member-2", "member-5"];
    private static readonly string[] Prod = ["member-3", "member-6"];
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);

    private static Dictionary<string, string> Files(string ns, string value, bool deployment = false)
    {
        var files = AppFiles(ns, value);
        if (deployment) files["app/deploy.yaml"] = $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: {{{ns}}}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "registry.example.com/web:2"}]
            """;
        return files;
    }

    /// <summary>Namespace <paramref name="ns"/> on the hub, a new repository at v1 and the bundle <c>app</c> rolling it out.</summary>
    private async Task<(HubObjects Hub, GitFixtureRepo Repo, string First)> StartAsync(string ns, JsonObject rollout, JsonArray? overrides = null)
    {
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var first = repo.Commit(Files(ns, "v1"));
        await hub.SourceAsync("repo", repo.Url);
        var spec = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "repo" },
            ["path"] = "app",
            ["placement"] = new JsonObject
            {
                ["clusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "env", ["operator"] = "In", ["values"] = new JsonArray("dev", "staging", "prod") }),
                },
            },
            ["rollout"] = rollout,
        };
        if (overrides is not null) spec["overrides"] = overrides;
        await hub.ApplyAsync(BundleResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
            ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = ns },
            ["spec"] = spec,
        });
        return (hub, repo, first);
    }

    /// <summary>Watches the ConfigMaps on these members from now on (the clients live as long as the test).</summary>
    private async Task<RecordedWatch[]> WatchAsync(string[] members) =>
        await Task.WhenAll(members.Select(member => RecordedWatch.StartAsync(fleet.Member(member), ConfigMaps)));

    private static string Seen(RecordedWatch[] watches, string ns) => string.Join("\n", watches.SelectMany(w => w.Events)
        .Where(e => (string?)e.Object["metadata"]?["namespace"] == ns)
        .Select(e => $"{e.At.TotalSeconds:0.0}s {e.Type} {e.Object["metadata"]?["name"]} rv {e.Object["metadata"]?["resourceVersion"]} value {e.Object["data"]?["value"]} fields {e.Object["metadata"]?["managedFields"]?.ToJsonString()}"));

    private static void AssertNeverSeen(RecordedWatch[] prod, string ns, string value)
    {
        var seen = prod.SelectMany(w => w.Events).Where(e => (string?)e.Object["metadata"]?["namespace"] == ns && (string?)e.Object["data"]?["value"] == value).ToList();
        Assert.True(seen.Count == 0, $"prod saw value {value}: {string.Join("; ", seen.Select(e => e.Object.ToJsonString()))}");
    }

    private async Task<string> ResourceVersionOnAsync(string cluster, string ns)
    {
        using var member = fleet.Member(cluster);
        return (await member.CoreV1.ReadNamespacedConfigMapAsync("app", ns)).Metadata.ResourceVersion;
    }

    [Fact]
    public async Task One_members_failing_revision_stops_the_run_at_its_stage_and_onFailure_Rollback_returns_that_stage_to_the_old_revision()
    {
        const string ns = "six-rollback";
        var label = await CliRunner.RunAsync(fleet.Env, "cluster", "label", "member-5", "fault=simulated");
        Assert.True(label.ExitCode == 0, label.ToString());
        // Only the labelled member's Deployment fails; the rule targets nothing in a revision without the Deployment.
        var fault = new JsonArray(new JsonObject
        {
            ["name"] = "simulated-fault", ["priority"] = 10,
            ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["fault"] = "simulated" } },
            ["targets"] = new JsonArray(new JsonObject { ["kind"] = "Deployment", ["name"] = "web" }),
            ["annotations"] = new JsonObject { ["flotilla.io/simulate"] = "fail" },
        });
        var prod = await WatchAsync(Prod);
        var (hub, repo, good) = await StartAsync(ns, new JsonObject
        {
            ["strategy"] = "Staged", ["progressDeadline"] = "15s", ["onFailure"] = "Rollback",
            ["stages"] = new JsonArray(Stage("dev"), Stage("staging"), Stage("prod")),
        }, fault);
        await WaitPhaseAsync(hub, "app", good, "Completed", Converge, "v1 completed");
        Assert.True(await hub.SyncedAsync("app", good, All));
        try
        {
            var bad = repo.Commit(Files(ns, "v2", deployment: true));
            await hub.RequestFetchAsync("repo");
            // Dev passes (its Deployments turn ready), staging is reached: both staging members take the new revision.
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", bad, [.. Dev, .. Staging]), Converge, "v2 applied on dev and staging", Describe(hub, "app"));
            await WaitPhaseAsync(hub, "app", bad, "RolledBack", Converge, "v2 rolled back after member-5 failed");
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", good, All), Converge, "every member back on v1", Describe(hub, "app"));

            var status = (await hub.BundleStatusAsync("app")).Status!;
            Assert.Contains("rolled back to " + good, status.Rollout!.Message);
            Assert.Equal(good, status.Rollout.LastHealthyRevision);
            foreach (var member in All) Assert.Equal("v1", await ValueOnAsync(fleet, member, ns));
            using (var member5 = fleet.Member("member-5"))
                Assert.DoesNotContain((await member5.AppsV1.ListNamespacedDeploymentAsync(ns)).Items, d => d.Metadata.Name == "web");
            AssertNeverSeen(prod, ns, "v2");
            Assert.Contains(prod.SelectMany(w => w.Events), e => (string?)e.Object["data"]?["value"] == "v1"); // the watches did see prod's writes
        }
        finally
        {
            foreach (var w in prod) await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_hub_killed_mid_stage_resumes_without_redoing_dev_or_skipping_the_prod_gate_and_a_newer_commit_supersedes_the_run()
    {
        const string ns = "six-resume";
        var (hub, repo, first) = await StartAsync(ns, new JsonObject
        {
            ["strategy"] = "Staged", ["progressDeadline"] = "60s", ["onFailure"] = "Pause", ["minSuccessTime"] = "10s",
            ["stages"] = new JsonArray(Stage("dev"), Stage("staging"), Stage("prod", approvalBefore: true)),
        });
        await WaitPhaseAsync(hub, "app", first, "AwaitingApproval", Converge, "v1 awaiting approval");
        await ApproveAsync(ns);
        await WaitPhaseAsync(hub, "app", first, "Completed", Converge, "v1 completed");

        var prod = await WatchAsync(Prod);
        RecordedWatch[] dev = [];
        try
        {
            var second = repo.Commit(Files(ns, "v2"));
            await hub.RequestFetchAsync("repo");
            // Staging in flight: it runs v2 and bakes for 10 s; dev is done.
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", second, [.. Dev, .. Staging]), Converge, "v2 on dev and staging", Describe(hub, "app"));
            var devVersions = await Task.WhenAll(Dev.Select(m => ResourceVersionOnAsync(m, ns)));
            Assert.NotEqual("AwaitingApproval", (await RolloutAsync(hub, "app"))!.Phase);
            dev = await WatchAsync(Dev);

            fleet.HubProcess.Kill(entireProcessTree: true);
            await fleet.HubProcess.WaitForExitAsync();
            fleet.StartHub();
            // The restarted hub finishes staging's bake and stops at prod's gate again: the kill skipped nothing.
            await WaitPhaseAsync(hub, "app", second, "AwaitingApproval", Converge, "v2 awaiting approval after the restart");
            var waiting = (await hub.BundleStatusAsync("app")).Status!;
            Assert.Equal("prod/before/0", waiting.Rollout!.AwaitingApproval);
            foreach (var member in Prod) Assert.Equal("v1", await ValueOnAsync(fleet, member, ns));
            var devNow = await Task.WhenAll(Dev.Select(m => ResourceVersionOnAsync(m, ns)));
            Assert.True(devVersions.SequenceEqual(devNow), "dev was written again:\n" + Seen(dev, ns));

            // A newer commit supersedes the waiting run: it starts again from dev, and the approval asked for v2 is not reused.
            var third = repo.Commit(Files(ns, "v3"));
            await hub.RequestFetchAsync("repo");
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", third, [.. Dev, .. Staging]), Converge, "v3 on dev and staging", Describe(hub, "app"));
            await WaitPhaseAsync(hub, "app", third, "AwaitingApproval", Converge, "v3 awaiting approval before prod");
            foreach (var member in Prod) Assert.Equal("v1", await ValueOnAsync(fleet, member, ns));
            await ApproveAsync(ns);
            // `rollout status --watch` follows the run through prod and ends when it completed.
            var watched = await CliRunner.RunAsync(fleet.Env, "rollout", "status", "app", "-n", ns, "--watch", "--timeout", "2m");
            Assert.True(watched.ExitCode == 0, watched.ToString());
            Assert.Contains($"rollout of {third[..12]}, phase Completed", watched.Stdout);
            Assert.Matches(@"member-6\s+prod/Done\s+" + third[..12], watched.Stdout);
            Assert.True(await hub.SyncedAsync("app", third, All));
            foreach (var member in All) Assert.Equal("v3", await ValueOnAsync(fleet, member, ns));
            AssertNeverSeen(prod, ns, "v2");
            Assert.Contains(prod.SelectMany(w => w.Events), e => (string?)e.Object["data"]?["value"] == "v3");
        }
        finally
        {
            foreach (var w in prod.Concat(dev)) await w.DisposeAsync();
        }
    }

    private async Task ApproveAsync(string ns)
    {
        var approve = await CliRunner.RunAsync(fleet.Env, "rollout", "approve", "app", "-n", ns);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("prod/before/0", approve.Stdout);
    }
}
