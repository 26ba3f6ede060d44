using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A Helm chart in Git rolls out in stages like plain YAML (member-1 env=dev, member-2 env=staging, member-3 env=prod):
/// a new chart version reaches dev first, the later stage waits at its Approval gate with its members keeping their
/// render of the old chart (each made with that member's own values) until <c>flotilla rollout approve</c>, then moves.
/// A version whose chart fails on dev fails dev alone (it keeps what it has) and, past the progress deadline, halts the
/// run there: the later stage keeps the last good version.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ChartRolloutTests(FleetFixture fleet)
{
    private const string Ns = "chart-rollout";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(120);
    private static readonly string[] Members = ["member-1", "member-2", "member-3"];
    private static readonly string[] Later = ["member-2", "member-3"];

    /// <param name="failOn">A cluster on which the chart's template fails (helm's <c>fail</c>).</param>
    private static Dictionary<string, string> Chart(string value, string? failOn = null) => new()
    {
        ["chart/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        ["chart/values.yaml"] = $"value: {value}\ncluster: unset\nfailOn: {failOn ?? "none"}\n",
        ["chart/templates/cm.yaml"] = """
            {{ if eq .Values.cluster .Values.failOn }}{{ fail (printf "%s refuses this version" .Values.cluster) }}{{ end }}
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app, namespace: {{ .Release.Namespace }}}
            data:
              value: {{ .Values.value | quote }}
              cluster: {{ .Values.cluster | quote }}
            """,
    };

    private static JsonObject Bundle() => new()
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "repo" },
            ["path"] = "chart",
            ["targetNamespace"] = Ns,
            ["sync"] = new JsonObject { ["createNamespace"] = true },
            // Each member's own input: the render is per (revision, inputs), never one render for the fleet.
            ["helm"] = new JsonObject { ["values"] = new JsonObject { ["cluster"] = "${cluster.name}" } },
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
                ["progressDeadline"] = "30s",
                ["stages"] = new JsonArray(Stage("dev"), new JsonObject
                {
                    ["name"] = "later",
                    ["selector"] = new JsonObject
                    {
                        ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "env", ["operator"] = "In", ["values"] = new JsonArray("staging", "prod") }),
                    },
                    ["before"] = new JsonArray(new JsonObject { ["type"] = "Approval" }),
                }),
            },
        },
    };

    private async Task<(string? Value, string? Cluster)> ChartOnAsync(string cluster)
    {
        using var member = fleet.Member(cluster);
        try
        {
            var data = (await member.CoreV1.ReadNamespacedConfigMapAsync("app", Ns)).Data;
            return (data?["value"], data?["cluster"]);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return (null, null); }
    }

    private async Task ApproveAsync()
    {
        var approve = await CliRunner.RunAsync(fleet.Env, "rollout", "approve", "app", "-n", Ns);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("later/before/0", approve.Stdout);
    }

    [Fact]
    public async Task A_new_chart_version_reaches_dev_first_the_later_stage_keeps_its_old_render_until_approved_and_one_failing_on_dev_halts_the_run()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var first = repo.Commit(Chart("v1"), "chart with value v1");
        await hub.SourceAsync("repo", repo.Url);
        await hub.ApplyAsync(BundleResource.Plural, Bundle());

        // The first version passes the gate too: dev gets it, the later stage waits for the approval.
        await WaitPhaseAsync(hub, "app", first, "AwaitingApproval", Converge, "first chart version awaiting approval before the later stage");
        Assert.True(await hub.SyncedAsync("app", first, ["member-1"]));
        Assert.Equal(("v1", "member-1"), await ChartOnAsync("member-1"));
        Assert.Equal((null, null), await ChartOnAsync("member-2"));
        await ApproveAsync();
        await WaitPhaseAsync(hub, "app", first, "Completed", Converge, "first chart version completed");
        Assert.True(await hub.SyncedAsync("app", first, Members));

        var second = repo.Commit(Chart("v2"), "chart value v2");
        await hub.RequestFetchAsync("repo");
        await WaitPhaseAsync(hub, "app", second, "AwaitingApproval", Converge, "second chart version awaiting approval before the later stage");
        var waiting = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal("later/before/0", waiting.Rollout!.AwaitingApproval);
        Assert.Equal(first, waiting.Rollout.LastHealthyRevision);
        Assert.True(await hub.SyncedAsync("app", second, ["member-1"]), KubernetesJson.Serialize(waiting));
        Assert.Equal(("v2", "member-1"), await ChartOnAsync("member-1"));
        foreach (var member in Later)
        {
            var entry = waiting.Clusters!.Single(c => c.Name == member);
            Assert.Equal(first, entry.AppliedRevision);
            Assert.Equal("later/Pending", entry.Rollout);
            // The old chart, rendered with this member's own values.
            Assert.Equal(("v1", member), await ChartOnAsync(member));
        }

        var status = await CliRunner.RunAsync(fleet.Env, "rollout", "status", "app", "-n", Ns);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("waits for approval of later/before/0", status.Stdout);
        Assert.Matches(@"member-1\s+dev/Done\s+" + second[..12], status.Stdout);
        Assert.Matches(@"member-2\s+later/Pending\s+" + first[..12], status.Stdout);
        Assert.Matches(@"member-3\s+later/Pending\s+" + first[..12], status.Stdout);

        await ApproveAsync();
        await WaitPhaseAsync(hub, "app", second, "Completed", Converge, "second chart version completed");
        Assert.True(await hub.SyncedAsync("app", second, Members));
        foreach (var member in Members) Assert.Equal(("v2", member), await ChartOnAsync(member));
        var done = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Equal(second, done.Rollout!.LastHealthyRevision);
        Assert.Equal("True", done.Conditions!.Single(c => c.Type == "Ready").Status);

        var third = repo.Commit(Chart("v3", failOn: "member-1"), "chart value v3, failing on member-1");
        await hub.RequestFetchAsync("repo");
        await WaitPhaseAsync(hub, "app", third, "Halted", Converge, "third chart version halted on dev");
        var halted = (await hub.BundleStatusAsync("app")).Status!;
        Assert.Contains("stage dev", halted.Rollout!.Message);
        Assert.Contains("new revision not applied", halted.Rollout.State);
        var dev = halted.Clusters!.Single(c => c.Name == "member-1");
        Assert.Equal("Failed", dev.Phase);
        Assert.Contains("member-1 refuses this version", dev.Error);
        Assert.Equal(second, dev.AppliedRevision);
        Assert.True(await hub.SyncedAsync("app", second, Later), KubernetesJson.Serialize(halted));
        foreach (var member in Members) Assert.Equal(("v2", member), await ChartOnAsync(member));
    }
}
