using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class FleetGetTests(FleetFixture fleet)
{
    [Fact]
    public async Task Get_configmaps_across_three_clusters_with_one_down_prints_two_and_reports_the_third()
    {
        const string ns = "get-test";
        foreach (var member in fleet.State.Members)
        {
            using var client = fleet.Member(member.Name);
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } });
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"from-{member.Name}" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        }
        var all = await CliRunner.RunAsync(fleet.Env, "get", "configmaps", "-A");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Matches(@"^CLUSTER\s+NAMESPACE\s+NAME\s+DATA\s+AGE", all.Stdout);
        foreach (var member in fleet.State.Members) Assert.Matches($@"{member.Name}\s+{ns}\s+from-{member.Name}\s+1\s+", all.Stdout);

        await fleet.Launcher.StopProcessAsync("member-3-apiserver", CancellationToken.None);
        try
        {
            var partial = await CliRunner.RunAsync(fleet.Env, "get", "cm", "-n", ns, "--timeout", "5");
            Assert.Equal(1, partial.ExitCode);
            Assert.Matches(@"member-1\s+from-member-1\s+1", partial.Stdout);
            Assert.Matches(@"member-2\s+from-member-2\s+1", partial.Stdout);
            Assert.DoesNotContain("from-member-3", partial.Stdout);
            Assert.Matches(@"error: cluster member-3: Unreachable", partial.Stderr);

            var selected = await CliRunner.RunAsync(fleet.Env, "get", "configmaps", "from-member-1", "-n", ns, "--clusters", "env=dev", "-o", "json");
            Assert.True(selected.ExitCode == 0, selected.ToString());
            using var doc = JsonDocument.Parse(selected.Stdout);
            var item = Assert.Single(doc.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal("member-1", item.GetProperty("metadata").GetProperty("annotations").GetProperty("flotilla.io/cluster").GetString());
        }
        finally
        {
            await fleet.RestoreAsync();
        }
    }

    [Fact]
    public async Task Get_lists_every_one_of_1200_configmaps_on_one_member_in_table_and_json_form()
    {
        const string ns = "get-paging";
        const int count = 1200;
        using (var member = fleet.Member("member-1"))
        {
            await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } });
            var clock = Stopwatch.StartNew();
            // Bounded parallel creates: fast, without flooding the member's API server.
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await member.CoreV1.CreateNamespacedConfigMapAsync(
                    new V1ConfigMap { Metadata = new() { Name = $"page-{i:D4}" }, Data = new Dictionary<string, string> { ["i"] = $"{i}" } }, ns, cancellationToken: ct));
            Console.WriteLine($"created {count} configmaps in {clock.Elapsed.TotalSeconds:0.0}s");
        }

        var table = await CliRunner.RunAsync(fleet.Env, "get", "configmaps", "-n", ns, "--clusters", "env=dev");
        Assert.True(table.ExitCode == 0, table.ToString()[..Math.Min(2000, table.ToString().Length)]);
        var rows = Regex.Matches(table.Stdout, @"^member-1\s+(page-\d{4})\s+1\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(Regex.Matches(table.Stdout, @"^CLUSTER\s+NAME\s+DATA\s+AGE", RegexOptions.Multiline));

        var json = await CliRunner.RunAsync(fleet.Env, "get", "configmaps", "-n", ns, "--clusters", "env=dev", "-o", "json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var names = doc.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!)
            .Where(n => n.StartsWith("page-", StringComparison.Ordinal)).ToList();
        Assert.Equal(count, names.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"page-{i:D4}"), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_gitrepositories_lists_every_one_of_1200_on_the_hub_in_table_and_json_form()
    {
        const string ns = "hub-get-paging";
        const int count = 1200;
        await fleet.Hub.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } });
        try
        {
            var clock = Stopwatch.StartNew();
            // Suspended, so the hub reads each once and fetches nothing.
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await fleet.Hub.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
                {
                    ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository", ["metadata"] = new JsonObject { ["name"] = $"page-{i:D4}" },
                    ["spec"] = new JsonObject { ["url"] = "https://git.example.com/fleet.git", ["suspend"] = true },
                }, FlotillaApi.Group, FlotillaApi.Version, ns, GitRepositoryResource.Plural, cancellationToken: ct));
            Console.WriteLine($"created {count} gitrepositories in {clock.Elapsed.TotalSeconds:0.0}s");

            var table = await CliRunner.RunAsync(fleet.Env, "get", "gitrepositories", "-n", ns);
            Assert.True(table.ExitCode == 0, table.ToString()[..Math.Min(2000, table.ToString().Length)]);
            var rows = Regex.Matches(table.Stdout, @"^(page-\d{4})\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(count, rows.Count);
            Assert.Equal(count, rows.Distinct(StringComparer.Ordinal).Count());
            Assert.Single(Regex.Matches(table.Stdout, @"^NAME\s", RegexOptions.Multiline));

            var json = await CliRunner.RunAsync(fleet.Env, "get", "gitrepositories", "-n", ns, "-o", "json");
            Assert.True(json.ExitCode == 0, json.Stderr);
            using var doc = JsonDocument.Parse(json.Stdout);
            var names = doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
            Assert.Equal(Enumerable.Range(0, count).Select(i => $"page-{i:D4}"), names.Order(StringComparer.Ordinal));
        }
        finally
        {
            await fleet.Hub.CoreV1.DeleteNamespaceAsync(ns);
        }
    }
}
