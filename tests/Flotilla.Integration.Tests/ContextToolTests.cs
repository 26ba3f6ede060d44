namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class ContextToolTests(FleetFixture fleet)
{
    [Fact]
    public async Task Ctx_and_ns_round_trip_across_a_kubeconfig_made_of_several_files()
    {
        // Split the fleet kubeconfig: file A holds the hub and member-1, file B the other members.
        var dir = Path.Combine(fleet.Directory, "ctx-test");
        Directory.CreateDirectory(dir);
        var all = await File.ReadAllTextAsync(fleet.State.KubeconfigPath);
        var a = Path.Combine(dir, "a.yaml");
        var b = Path.Combine(dir, "b.yaml");
        await File.WriteAllTextAsync(a, Keep(all, ["flotilla-hub", "member-1"], current: "flotilla-hub"));
        await File.WriteAllTextAsync(b, "# member clusters\n" + Keep(all, ["member-2", "member-3"], current: null) + "extensions:\n- name: keep-me\n  extension: {x: 1}\n");
        var env = new Dictionary<string, string?>(fleet.Env)
        {
            ["KUBECONFIG"] = $"{a}:{b}",
            ["XDG_STATE_HOME"] = Path.Combine(dir, "state"),
        };

        var list = await CliRunner.RunAsync(env, "ctx");
        Assert.True(list.ExitCode == 0, list.ToString());
        foreach (var name in new[] { "flotilla-hub", "member-1", "member-2", "member-3" }) Assert.Contains(name, list.Stdout);

        Assert.Equal(0, (await CliRunner.RunAsync(env, "ctx", "member-3")).ExitCode);
        Assert.Equal("member-3", (await CliRunner.RunAsync(env, "ctx", "-c")).Stdout.Trim());
        Assert.Equal(0, (await CliRunner.RunAsync(env, "ctx", "-")).ExitCode);
        Assert.Equal("flotilla-hub", (await CliRunner.RunAsync(env, "ctx", "-c")).Stdout.Trim());

        Assert.Equal(0, (await CliRunner.RunAsync(env, "ctx", "third=member-3")).ExitCode);
        Assert.Contains("- name: third", await File.ReadAllTextAsync(b));
        Assert.Contains("keep-me", await File.ReadAllTextAsync(b)); // unknown fields survive the rewrite
        Assert.Equal(0, (await CliRunner.RunAsync(env, "ctx", "third")).ExitCode);

        using (var member = fleet.Member("member-3"))
        {
            try { await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "ctx-ns" } }); }
            catch (k8s.Autorest.HttpOperationException) { }
        }
        var namespaces = await CliRunner.RunAsync(env, "ns");
        Assert.True(namespaces.ExitCode == 0, namespaces.ToString());
        Assert.Contains("ctx-ns", namespaces.Stdout);
        Assert.Equal(0, (await CliRunner.RunAsync(env, "ns", "ctx-ns")).ExitCode);
        Assert.Equal("ctx-ns", (await CliRunner.RunAsync(env, "ns", "-c")).Stdout.Trim());
        Assert.Equal(0, (await CliRunner.RunAsync(env, "ns", "-")).ExitCode);
        Assert.Equal("default", (await CliRunner.RunAsync(env, "ns", "-c")).Stdout.Trim());

        Assert.Equal(1, (await CliRunner.RunAsync(env, "ctx", "no-such-context")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(env, "ctx", "-d", "member-2")).ExitCode);
        Assert.DoesNotContain("member-2", (await CliRunner.RunAsync(env, "ctx")).Stdout);
        Assert.DoesNotContain(Directory.GetFiles(dir), f => f.Contains(".tmp"));
    }

    /// <summary>The fleet kubeconfig reduced to <paramref name="names"/> (contexts, clusters and their admin users).</summary>
    private static string Keep(string kubeconfig, string[] names, string? current)
    {
        var lines = kubeconfig.Split('\n');
        var output = new List<string> { "apiVersion: v1", "kind: Config" };
        if (current is not null) output.Add($"current-context: {current}");
        string? section = null;
        var keep = false;
        foreach (var line in lines)
        {
            if (line is "clusters:" or "contexts:" or "users:") { section = line; output.Add(line); continue; }
            if (section is null || line.Length == 0) continue;
            if (line.StartsWith("- name: ")) keep = names.Any(n => line == $"- name: {n}" || line == $"- name: {n}-admin");
            if (keep) output.Add(line);
        }
        return string.Join('\n', output) + "\n";
    }
}
