using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Integration.Tests;

/// <summary>
/// <c>flotilla plan</c> on the real fleet: a bundle synced to the three members (an override for eu-west, a staged
/// rollout) is planned against a branch that changes its manifests. The plan names the right clusters and diffs,
/// grouping the two identical ones, in every output form, with the exit code 1 — and changes nothing on the members or
/// the hub. Planning the synced revision itself finds nothing to change (exit code 0).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PlanTests(FleetFixture fleet)
{
    private const string Ns = "plan-preview";
    private const string SecretValue = "plan-s3cr3t-4711";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);
    private static readonly string[] Members = ["member-1", "member-2", "member-3"];

    private static string ConfigMap(string name, string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Ns}\ndata:\n  value: \"{value}\"\n";

    private static Dictionary<string, string> Files(string registry, string settings, string password, bool extra) => new Dictionary<string, string>
    {
        ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n",
        ["app/registry.yaml"] = ConfigMap("registry", registry),
        ["app/settings.yaml"] = ConfigMap("settings", settings),
        ["app/creds.yaml"] = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: {Ns}\nstringData:\n  password: {password}\n",
    }.Concat(extra ? [new("app/extra.yaml", ConfigMap("extra", "x"))] : []).ToDictionary();

    private Task BundleAsync(HubObjects hub) => hub.ApplyAsync(BundleResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "repo" },
            ["path"] = "app",
            ["placement"] = new JsonObject
            {
                ["clusterSelector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "region", ["operator"] = "Exists" }) },
            },
            ["overrides"] = new JsonArray(new JsonObject
            {
                ["name"] = "eu-registry", ["priority"] = 10,
                ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["region"] = "eu-west" } },
                ["targets"] = new JsonArray(new JsonObject { ["kind"] = "ConfigMap", ["name"] = "registry" }),
                ["mergePatch"] = new JsonObject { ["data"] = new JsonObject { ["value"] = "eu.registry.example.com" } },
            }),
            ["rollout"] = new JsonObject
            {
                ["strategy"] = "Staged",
                ["stages"] = new JsonArray(
                    new JsonObject { ["name"] = "dev", ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["env"] = "dev" } } },
                    new JsonObject
                    {
                        ["name"] = "rest",
                        ["selector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "env", ["operator"] = "In", ["values"] = new JsonArray("staging", "prod") }) },
                    }),
            },
        },
    });

    /// <summary>Every object the bundle may touch on a member, with its resourceVersion: the namespace's ConfigMaps and Secrets, and the bundle's inventory.</summary>
    private async Task<SortedDictionary<string, string>> MemberObjectsAsync()
    {
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Members)
        {
            using var member = fleet.Member(name);
            foreach (var cm in (await member.CoreV1.ListNamespacedConfigMapAsync(Ns)).Items) seen[$"{name}/ConfigMap/{cm.Metadata.Name}"] = cm.Metadata.ResourceVersion;
            foreach (var s in (await member.CoreV1.ListNamespacedSecretAsync(Ns)).Items) seen[$"{name}/Secret/{s.Metadata.Name}"] = s.Metadata.ResourceVersion;
            foreach (var cm in (await member.CoreV1.ListNamespacedConfigMapAsync(FlotillaApi.SystemNamespace)).Items.Where(c => c.Metadata.Name.Contains(Ns, StringComparison.Ordinal)))
                seen[$"{name}/inventory/{cm.Metadata.Name}"] = cm.Metadata.ResourceVersion;
        }
        return seen;
    }

    /// <summary>What the hub holds of the bundle that a plan could change: generation, annotations, decision and applied revisions.</summary>
    private static async Task<string> HubStateAsync(HubObjects hub)
    {
        var bundle = await hub.BundleStatusAsync("app");
        var applied = string.Join(",", (bundle.Status?.Clusters ?? []).OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name}={c.AppliedRevision}"));
        return $"generation {bundle.Metadata.Generation}; annotations {string.Join(",", (bundle.Metadata.Annotations ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))}; "
            + $"placement {string.Join(",", bundle.Status?.Placement?.Selected ?? [])}; applied {applied}; rollout target {bundle.Status?.Rollout?.TargetRevision}";
    }

    [Fact]
    public async Task A_plan_of_a_branch_shows_the_right_clusters_and_grouped_diffs_and_changes_nothing()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var main = repo.Commit(Files("registry.example.com", "v1", SecretValue, extra: true));
        await hub.SourceAsync("repo", repo.Url);
        await BundleAsync(hub);
        await Eventually.WaitAsync(async () => await hub.SyncedAsync("app", main, Members)
                && (await hub.BundleStatusAsync("app")).Status?.Placement?.Selected?.Count == Members.Length,
            Converge, "app Synced on the three members, its decision in status", async () => KubernetesJson.Serialize((await hub.BundleStatusAsync("app")).Status));

        // member-1's registry is overridden, so the branch's new registry changes only member-2 and member-3.
        var feature = repo.CommitOnBranch("feature", Files("registry2.example.com", "v2", SecretValue + "-new", extra: false));
        var checkout = new GitFixtureRepo(fleet.Directory, $"dir-{Ns}");
        checkout.Commit(Files("registry2.example.com", "v2", SecretValue + "-new", extra: false));
        var membersBefore = await MemberObjectsAsync();
        var hubBefore = await HubStateAsync(hub);
        // One after another: on a busy machine, runs side by side only compete for the CPU (and the CLI's git cache).
        var same = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns);
        var table = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "--revision", "feature");
        var json = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "--revision", "feature", "-o", "json");
        // A local checkout of the branch plans the same; as Markdown here, for a pull-request comment.
        var markdown = await CliRunner.RunAsync(fleet.Env, "plan", "-n", Ns, "--dir", checkout.Path, "--bundle", "app", "-o", "markdown");

        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains($"No change: {Ns}/app", same.Stdout);

        Assert.True(table.ExitCode == 1, table.ToString());
        Assert.Contains($"Bundle {Ns}/app at {feature[..12]}: changed", table.Stdout);
        Assert.Matches(@"member-1\s+stays\s+dev\s+eu-registry\s+A\s+", table.Stdout);
        Assert.Matches(@"member-2\s+stays\s+rest\s+-\s+B\s+", table.Stdout);
        Assert.Matches(@"member-3\s+stays\s+rest\s+-\s+B\s+", table.Stdout);
        Assert.Contains("Staged rollout: dev: member-1 → rest: member-2, member-3 → (unmatched): none", table.Stdout);
        Assert.Contains("diff B: 2 clusters (member-2, member-3)", table.Stdout);
        Assert.DoesNotContain("diff C", table.Stdout);
        var diffA = Section(table.Stdout, "diff A:", "diff B:");
        var diffB = Section(table.Stdout, "diff B:", null);
        Assert.Contains($"~ ConfigMap/{Ns}/settings", diffA);
        Assert.Contains("+   value: v2", diffA);
        Assert.DoesNotContain("registry", diffA);
        Assert.Contains($"- ConfigMap/{Ns}/extra (prune)", diffA);
        Assert.Contains($"~ Secret/{Ns}/creds", diffA);
        Assert.Contains("<redacted: changed>", diffA);
        Assert.Contains("+   value: registry2.example.com", diffB);
        Assert.Contains($"- ConfigMap/{Ns}/extra (prune)", diffB);
        Assert.DoesNotContain(SecretValue, table.Stdout + table.Stderr);

        Assert.True(json.ExitCode == 1, json.ToString());
        var bundle = JsonNode.Parse(json.Stdout)!["bundles"]!.AsArray().Single()!;
        Assert.Equal(feature, bundle["revision"]!.GetValue<string>());
        Assert.Equal(Members, bundle["clusters"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(new[] { new[] { "member-1" }, ["member-2", "member-3"] }, bundle["diffs"]!.AsArray().Select(d => d!["clusters"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray()));
        Assert.Equal(["eu-registry"], bundle["clusters"]![0]!["appliedOverrides"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.DoesNotContain(SecretValue, json.Stdout);

        Assert.True(markdown.ExitCode == 1, markdown.ToString());
        Assert.Contains($"#### `{Ns}/app` at `directory {checkout.Path}`: changed", markdown.Stdout);
        Assert.Contains("<details><summary>diff B: 2 clusters (member-2, member-3)</summary>", markdown.Stdout);
        Assert.Contains(diffB[(diffB.IndexOf('\n') + 1)..].TrimEnd(), markdown.Stdout);
        Assert.DoesNotContain(SecretValue, markdown.Stdout);

        Assert.Equal(membersBefore, await MemberObjectsAsync());
        Assert.Equal(hubBefore, await HubStateAsync(hub));
        Assert.Equal("registry.example.com", await MemberValueAsync("member-2", "registry"));
    }

    private async Task<string?> MemberValueAsync(string cluster, string name)
    {
        using var member = fleet.Member(cluster);
        return (await member.CoreV1.ReadNamespacedConfigMapAsync(name, Ns)).Data?["value"];
    }

    /// <summary>The text from <paramref name="start"/> up to <paramref name="end"/> (or the end).</summary>
    private static string Section(string text, string start, string? end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no \"{start}\" in:\n{text}");
        var to = end is null ? text.Length : text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..(to < 0 ? text.Length : to)];
    }
}
