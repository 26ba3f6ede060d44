using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Health-gated staged rollouts on the real fleet (member-1 env=dev, member-2 env=staging, member-3 env=prod): a new
/// commit reaches dev first and waits at prod's Approval gate with prod on the old revision until <c>flotilla rollout
/// approve</c>; a revision that never turns healthy on dev stops the run there (later stages keep the old revision), and
/// a rollback — by command, or by <c>onFailure: Rollback</c> — returns dev to the last healthy revision; a hub killed
/// while the run waits at the gate resumes there.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class RolloutTests(FleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);
    private static readonly string[] Members = ["member-1", "member-2", "member-3"];

    private static Dictionary<string, string> Files(string ns, string value, bool failingDeployment = false)
    {
        var files = AppFiles(ns, value);
        // Never turns healthy: the workload simulator fails it, and without the simulator no controller makes it ready.
        if (failingDeployment) files["app/deploy.yaml"] = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: {ns}
              annotations: {"{"}flotilla.io/simulate: fail{"}"}
            spec:
              replicas: 1
              selector: {"{"}matchLabels: {"{"}app: web{"}"}{"}"}
              template:
                metadata: {"{"}labels: {"{"}app: web{"}"}{"}"}
                spec:
                  containers: [{"{"}name: web, image: "registry.example.com/web:2"{"}"}]
            """;
        return files;
    }

    private static Task BundleAsync(HubObjects hub, string ns, string onFailure, bool approveProd) => hub.ApplyAsync(BundleResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = ns },
        ["spec"] = new JsonObject
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
            ["rollout"] = new JsonObject
            {
                ["strategy"] = "Staged",
                ["progressDeadline"] = "20s",
                ["onFailure"] = onFailure,
                ["stages"] = new JsonArray(Stage("dev"), Stage("staging"), Stage("prod", approveProd)),
            },
        },
    });

    /// <summary>Namespace <paramref name="ns"/> on the hub, a new repository at v1 and the bundle <c>app</c> rolling it out.</summary>
    private async Task<(HubObjects Hub, GitFixtureRepo Repo, string First)> StartAsync(string ns, string onFailure, bool approveProd)
    {
        var hub = new HubObjects(fleet.Hub, ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{ns}");
        var first = repo.Commit(Files(ns, "v1"));
        await hub.SourceAsync("repo", repo.Url);
        await BundleAsync(hub, ns, onFailure, approveProd);
        return (hub, repo, first);
    }

    private Task<string?> ValueOnAsync(string cluster, string ns) => RolloutParts.ValueOnAsync(fleet, cluster, ns);

    private static Func<Task<string>> Describe(HubObjects hub) => RolloutParts.Describe(hub, "app");

    private static Task WaitPhaseAsync(HubObjects hub, string revision, string phase, string what) =>
        RolloutParts.WaitPhaseAsync(hub, "app", revision, phase, Converge, what);

    private static async Task ApproveAsync(FleetFixture fleet, string ns)
    {
        var approve = await CliRunner.RunAsync(fleet.Env, "rollout", "approve", "app", "-n", ns);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("prod/before/0", approve.Stdout);
    }

    [Fact]
    public async Task A_new_commit_goes_dev_then_staging_and_waits_for_approval_before_prod_which_keeps_the_old_revision()
    {
        const string ns = "rollout-staged";
        var (hub, repo, first) = await StartAsync(ns, "Pause", approveProd: true);

        // The first revision also passes the gate: dev and staging get it, prod waits for the approval.
        await WaitPhaseAsync(hub, first, "AwaitingApproval", "first revision awaiting approval before prod");
        Assert.True(await hub.SyncedAsync("app", first, ["member-1", "member-2"]));
        Assert.Null(await ValueOnAsync("member-3", ns));
        await ApproveAsync(fleet, ns);
        await WaitPhaseAsync(hub, first, "Completed", "first revision completed");
        Assert.True(await hub.SyncedAsync("app", first, Members));

        var second = repo.Commit(Files(ns, "v2"));
        await hub.RequestFetchAsync("repo");
        await WaitPhaseAsync(hub, second, "AwaitingApproval", "second revision awaiting approval before prod");
        var waiting = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal("prod/before/0", waiting.Rollout!.AwaitingApproval);
        Assert.Equal(first, waiting.Rollout.LastHealthyRevision);
        Assert.Contains("prod", waiting.Rollout.Message);
        Assert.True(await hub.SyncedAsync("app", second, ["member-1", "member-2"]), KubernetesJson.Serialize(waiting));
        var prod = waiting.Clusters!.Single(c => c.Name == "member-3");
        Assert.Equal(first, prod.AppliedRevision);
        Assert.Equal("prod/Pending", prod.Rollout);
        Assert.Equal("v2", await ValueOnAsync("member-1", ns));
        Assert.Equal("v1", await ValueOnAsync("member-3", ns));
        Assert.Equal("False", waiting.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal("RolloutAwaitingApproval", waiting.Conditions!.Single(c => c.Type == "Ready").Reason);

        var status = await CliRunner.RunAsync(fleet.Env, "rollout", "status", "app", "-n", ns);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("waits for approval of prod/before/0", status.Stdout);
        Assert.Matches(@"member-3\s+prod/Pending\s+" + first[..12], status.Stdout);
        Assert.Matches(@"member-1\s+dev/Done\s+" + second[..12], status.Stdout);

        // Paused, nothing waits for an approval; resumed, the same gate waits again (the pause skipped nothing).
        var pause = await CliRunner.RunAsync(fleet.Env, "rollout", "pause", "app", "-n", ns);
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Contains("rollout Paused", pause.Stdout);
        var refused = await CliRunner.RunAsync(fleet.Env, "rollout", "approve", "app", "-n", ns);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("nothing waits for an approval (phase Paused)", refused.Stderr);
        var resume = await CliRunner.RunAsync(fleet.Env, "rollout", "resume", "app", "-n", ns);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("rollout AwaitingApproval", resume.Stdout);
        Assert.Equal("v1", await ValueOnAsync("member-3", ns));

        await ApproveAsync(fleet, ns);
        await WaitPhaseAsync(hub, second, "Completed", "second revision completed");
        Assert.True(await hub.SyncedAsync("app", second, Members));
        Assert.Equal("v2", await ValueOnAsync("member-3", ns));
        var done = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal(second, done.Rollout!.LastHealthyRevision);
        Assert.Equal("True", done.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task A_revision_that_never_turns_healthy_on_dev_halts_the_run_there_and_a_rollback_command_returns_dev_to_the_last_healthy_one()
    {
        const string ns = "rollout-halt";
        var (hub, repo, good) = await StartAsync(ns, "Pause", approveProd: false);
        await WaitPhaseAsync(hub, good, "Completed", "good revision completed");

        var bad = repo.Commit(Files(ns, "v2", failingDeployment: true));
        await hub.RequestFetchAsync("repo");
        await WaitPhaseAsync(hub, bad, "Halted", "bad revision halted on dev");
        var halted = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Contains("stage dev", halted.Rollout!.Message);
        Assert.Contains("not healthy on the new revision", halted.Rollout.State);
        Assert.Equal(good, halted.Rollout.LastHealthyRevision);
        Assert.Equal("True", halted.Conditions!.Single(c => c.Type == "Stalled").Status);
        Assert.Equal(bad, halted.Clusters!.Single(c => c.Name == "member-1").AppliedRevision);
        Assert.True(await hub.SyncedAsync("app", good, ["member-2", "member-3"]), KubernetesJson.Serialize(halted));
        Assert.Equal("v1", await ValueOnAsync("member-2", ns));
        Assert.Equal("v1", await ValueOnAsync("member-3", ns));

        var rollback = await CliRunner.RunAsync(fleet.Env, "rollout", "rollback", "app", "-n", ns);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        await WaitPhaseAsync(hub, bad, "RolledBack", "bad revision rolled back");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", good, Members), Converge, "every member back on the good revision", Describe(hub));
        Assert.Equal("v1", await ValueOnAsync("member-1", ns));
        using var member1 = fleet.Member("member-1");
        Assert.DoesNotContain((await member1.AppsV1.ListNamespacedDeploymentAsync(ns)).Items, d => d.Metadata.Name == "web");
    }

    [Fact]
    public async Task With_onFailure_Rollback_the_failed_stage_goes_back_to_the_last_healthy_revision_on_its_own()
    {
        const string ns = "rollout-rollback";
        var (hub, repo, good) = await StartAsync(ns, "Rollback", approveProd: false);
        await WaitPhaseAsync(hub, good, "Completed", "good revision completed");

        var bad = repo.Commit(Files(ns, "v2", failingDeployment: true));
        await hub.RequestFetchAsync("repo");
        // member-1 takes the bad revision first: the run is seen moving before it fails.
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", bad, ["member-1"]), Converge, "bad revision applied on dev", Describe(hub));
        await WaitPhaseAsync(hub, bad, "RolledBack", "bad revision rolled back on its own");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", good, Members), Converge, "dev back on the good revision", Describe(hub));
        Assert.Equal("v1", await ValueOnAsync("member-1", ns));
        var status = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Contains("rolled back to " + good, status.Rollout!.Message);
        Assert.Equal(good, status.Rollout.LastHealthyRevision);
    }

    [Fact]
    public async Task A_hub_killed_while_the_run_waits_at_the_gate_resumes_there_without_skipping_it()
    {
        const string ns = "rollout-restart";
        var (hub, _, first) = await StartAsync(ns, "Pause", approveProd: true);
        await WaitPhaseAsync(hub, first, "AwaitingApproval", "awaiting approval before prod");

        fleet.HubProcess.Kill(entireProcessTree: true);
        await fleet.HubProcess.WaitForExitAsync();
        var killedAt = DateTimeOffset.UtcNow;
        fleet.StartHub();
        // The restarted hub has synced dev and staging again (their results are newer than the kill) and written the status.
        await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters is { } clusters
                && clusters.Where(c => c.Name != "member-3").All(c => c.LastSyncTime >= killedAt.AddSeconds(-1) && c.Phase == "Synced"),
            Converge, "dev and staging synced by the restarted hub", Describe(hub));
        var resumed = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal("AwaitingApproval", resumed.Rollout!.Phase);
        Assert.Equal("prod/before/0", resumed.Rollout.AwaitingApproval);
        Assert.Null(await ValueOnAsync("member-3", ns));

        await ApproveAsync(fleet, ns);
        await WaitPhaseAsync(hub, first, "Completed", "completed after the approval");
        Assert.Equal("v1", await ValueOnAsync("member-3", ns));
    }
}
