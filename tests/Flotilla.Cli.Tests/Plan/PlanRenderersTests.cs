using System.Text.Json.Nodes;
using Flotilla.Cli.Plan;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Tests.Plan;

public sealed class PlanRenderersTests
{
    private static string Render(Action<TextWriter, FleetPlan> render, FleetPlan plan)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        render(writer, plan);
        return writer.ToString();
    }

    private const string DiffA = """
        ~ ConfigMap/shop/settings
          data:
        -   value: v1
        +   value: v2
        """;

    private const string DiffB = """
        ~ ConfigMap/shop/registry
          data:
        -   value: a
        +   value: b
        ~ ConfigMap/shop/settings
          data:
        -   value: v1
        +   value: v2
        """;

    private const string DiffC = """
        - ConfigMap/shop/registry (prune)
        - ConfigMap/shop/settings (prune)
        """;

    [Fact]
    public void The_table_shows_each_changed_bundle_its_clusters_reasons_rollout_and_each_diff_once() =>
        Assert.Equal($"""
            Plan of revision feature: 2 bundles, 0 would change, 1 failed, 1 unchanged

            Bundle shop/web at 0123456789ab: failed
            CLUSTER    PLACEMENT   STAGE    OVERRIDES     DIFF   CHANGES
            member-1   stays       canary   eu-registry   A      1 update
            member-2   stays       prod     -             B      2 update
            member-3   joins       prod     -             B      2 update
            member-4   leaves      -        -             C      2 prune
            member-5   stays       prod     -             -      failed: cannot reach the cluster: Connection refused
              member-3 joins: selected, score 100
              member-4 leaves: label selector region In [eu,us] not matched
              Staged rollout: canary: member-1 → prod: member-2, member-3, member-5 → (unmatched): none

            diff A: 1 cluster (member-1)
            {DiffA}

            diff B: 2 clusters (member-2, member-3)
            {DiffB}

            diff C: 1 cluster (member-4)
            {DiffC}

            No change: shop/db

            """, Render(PlanTableRenderer.Write, PlanSamples.Fleet));

    [Fact]
    public void The_markdown_is_a_pull_request_comment_with_a_table_and_collapsed_diffs() =>
        Assert.Equal($"""
            ### Plan of revision feature: 2 bundles, 0 would change, 1 failed, 1 unchanged

            #### `shop/web` at `0123456789ab`: failed

            | Cluster | Placement | Stage | Overrides | Diff | Changes |
            |---|---|---|---|---|---|
            | member-1 | stays | canary | eu-registry | A | 1 update |
            | member-2 | stays | prod | - | B | 2 update |
            | member-3 | joins: selected, score 100 | prod | - | B | 2 update |
            | member-4 | leaves: label selector region In [eu,us] not matched | - | - | C | 2 prune |
            | member-5 | stays | prod | - | - | failed: cannot reach the cluster: Connection refused |

            Staged rollout: canary: member-1 → prod: member-2, member-3, member-5 → (unmatched): none

            <details><summary>diff A: 1 cluster (member-1)</summary>

            ```diff
            {DiffA}
            ```
            </details>

            <details><summary>diff B: 2 clusters (member-2, member-3)</summary>

            ```diff
            {DiffB}
            ```
            </details>

            <details><summary>diff C: 1 cluster (member-4)</summary>

            ```diff
            {DiffC}
            ```
            </details>

            No change: `shop/db`

            """, Render(PlanMarkdownRenderer.Write, PlanSamples.Fleet));

    [Fact]
    public void Markdown_keeps_pipes_tags_and_backticks_of_the_content_from_breaking_the_comment()
    {
        var tricky = new ObjectChange("ConfigMap/shop/x", ChangeAction.Update, "~ ConfigMap/shop/x", "-   script: ```a```\n+   script: ````b````\n", Failed: false);
        var plan = new FleetPlan("directory /tmp/<repo>", [new BundlePlan("shop", "web")
        {
            Clusters = [PlanSamples.Cluster("member-1", PlanMembership.Leaves, tricky) with { Reason = "fact a|b <script>" }],
        }]);
        var text = Render(PlanMarkdownRenderer.Write, plan);
        Assert.Contains("| leaves: fact a\\|b &lt;script&gt; |", text);
        Assert.Contains("directory /tmp/&lt;repo&gt;", text);
        Assert.Contains("`````diff\n", text); // longer than the longest run of backticks inside
        Assert.DoesNotContain("<script>", text);
    }

    [Fact]
    public void Json_has_every_bundle_its_clusters_diff_groups_and_rollout_stages()
    {
        var json = JsonNode.Parse(Render(PlanJsonRenderer.Write, PlanSamples.Fleet))!;
        Assert.Equal("Failed", json["outcome"]!.GetValue<string>());
        var bundles = json["bundles"]!.AsArray();
        Assert.Equal(["web", "db"], bundles.Select(b => b!["name"]!.GetValue<string>()));
        Assert.Equal("Unchanged", bundles[1]!["outcome"]!.GetValue<string>());
        var web = bundles[0]!;
        Assert.Equal(PlanSamples.Sha, web["revision"]!.GetValue<string>());
        var member3 = web["clusters"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "member-3")!;
        Assert.Equal(("Joins", "B", "prod", "Changed"), (member3["placement"]!.GetValue<string>(), member3["diff"]!.GetValue<string>(),
            member3["stage"]!.GetValue<string>(), member3["outcome"]!.GetValue<string>()));
        var member5 = web["clusters"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "member-5")!;
        Assert.Null(member5["diff"]);
        Assert.Contains("Connection refused", member5["error"]!.GetValue<string>());
        var groupB = web["diffs"]!.AsArray().Single(d => d!["label"]!.GetValue<string>() == "B")!;
        Assert.Equal(["member-2", "member-3"], groupB["clusters"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["Update", "Update"], groupB["changes"]!.AsArray().Select(c => c!["action"]!.GetValue<string>()));
        Assert.Contains("+   value: b", groupB["changes"]![0]!["diff"]!.GetValue<string>());
        Assert.Equal(["canary", "prod", "(unmatched)"], web["rollout"]!["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Null(bundles[1]!["rollout"]);
    }

    [Fact]
    public void A_secret_value_reaches_no_plan_output()
    {
        const string value = "s3cr3t-VALUE-4242";
        var reference = new ObjectRef("", "v1", "Secret", "shop", "creds");
        JsonObject Secret(string password) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "creds", ["namespace"] = "shop" },
            ["data"] = new JsonObject { ["password"] = password },
        };
        var outcome = new SyncOutcome(
            new ChangeSet([new StagePlan(ApplyStageKind.ClusterDefinitions, [new PlannedChange(reference, ChangeAction.Update, Secret(value), Secret("old-" + value))])], []),
            new Dictionary<ObjectRef, JsonObject> { [reference] = Secret(value) }, new Dictionary<ObjectRef, string>(), SyncResult.Failure(SyncPhase.Pending, null, "preview only"));
        var change = ObjectChange.From(Assert.Single(ObjectDiff.From(outcome)));
        Assert.Contains("<redacted: changed>", change.Diff);
        var plan = new FleetPlan("test", [new BundlePlan("shop", "web") { Clusters = [PlanSamples.Cluster("member-1", PlanMembership.Stays, change)] }]);
        foreach (var render in new Action<TextWriter, FleetPlan>[] { PlanTableRenderer.Write, PlanMarkdownRenderer.Write, PlanJsonRenderer.Write })
            Assert.DoesNotContain(value, Render(render, plan));
    }
}
