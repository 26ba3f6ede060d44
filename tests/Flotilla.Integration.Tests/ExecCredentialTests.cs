using System.Text;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Credentials;
using Flotilla.Kube.Health;
using Flotilla.Kube.Registry;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A member joined with a real exec credential plugin (a bash script that prints an ExecCredential holding the
/// member's admin token) and <c>--allow-exec</c>: the shared hub, started without <c>--allow-exec</c>, must say
/// the flag is missing on the hub; the hub's own client building with <c>--allow-exec</c> must reach the member.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ExecCredentialTests(FleetFixture fleet)
{
    private sealed record Plugin(string Kubeconfig, string RunsFile, string Token);

    // The plugin counts its runs in a file, so a test can tell the token really came from it.
    private async Task<Plugin> WritePluginAsync(string name)
    {
        var member = fleet.State.Members.First();
        var dir = Path.Combine(fleet.Directory, $"exec-{name}");
        Directory.CreateDirectory(dir);
        var runs = Path.Combine(dir, "runs");
        var script = Path.Combine(dir, "get-token.sh");
        await File.WriteAllTextAsync(script, $$$"""
            #!/bin/bash
            echo run >> '{{{runs}}}'
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{member.AdminToken}}}"}}'

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ca = Convert.ToBase64String(await File.ReadAllBytesAsync(fleet.State.CaPath));
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            current-context: {name}
            clusters:
            - name: {name}
              cluster:
                server: {member.Server}
                certificate-authority-data: {ca}
            contexts:
            - name: {name}
              context: {"{"}cluster: {name}, user: {name}{"}"}
            users:
            - name: {name}
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {script}
                  args: ["--cluster", "{name}"]

            """);
        return new Plugin(kubeconfig, runs, member.AdminToken!);
    }

    private static int Runs(Plugin plugin) => File.Exists(plugin.RunsFile) ? File.ReadAllLines(plugin.RunsFile).Length : 0;

    [Fact]
    public async Task A_join_without_allow_exec_is_refused_and_stores_nothing()
    {
        var plugin = await WritePluginAsync("exec-refused");

        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "exec-refused", "--kubeconfig", plugin.Kubeconfig);

        Assert.Equal(1, join.ExitCode);
        Assert.Contains("uses an exec credential plugin", join.Stderr);
        Assert.Contains("pass --allow-exec to allow it", join.Stderr);
        Assert.Null(await new ClusterRegistry(fleet.Hub).GetAsync("exec-refused", CancellationToken.None));
        Assert.Equal(0, Runs(plugin));
    }

    [Fact]
    public async Task Joined_with_allow_exec_the_hub_without_it_names_the_flag_missing_on_the_hub_and_with_it_reaches_the_member()
    {
        var plugin = await WritePluginAsync("exec-joined");
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "exec-joined", "--kubeconfig", plugin.Kubeconfig, "--allow-exec");
        Assert.True(join.ExitCode == 0, join.ToString());
        Assert.Contains("the hub uses these credentials only when it runs with --allow-exec", join.Stderr);
        Assert.DoesNotContain("warning", join.Stderr); // the join's own probe ran the plugin and reached the member
        try
        {
            var registry = new ClusterRegistry(fleet.Hub);
            var cluster = (await registry.GetAsync("exec-joined", CancellationToken.None))!;
            Assert.Equal(["Exec"], cluster.Spec.CredentialAllowances);
            var stored = await registry.ReadKubeconfigAsync(cluster, CancellationToken.None);
            Assert.Contains("exec:", stored);
            var runsAfterJoin = Runs(plugin);
            Assert.Equal(1, runsAfterJoin);

            // (b) The fleet's hub runs without --allow-exec: the status names the flag and where it is missing.
            string? message = null;
            await Eventually.WaitAsync(async () =>
            {
                var available = (await registry.GetAsync("exec-joined", CancellationToken.None))?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
                message = available?.Message;
                return available is { Status: "False", Reason: "InvalidCredentials" };
            }, TimeSpan.FromSeconds(30), "exec-joined InvalidCredentials on the hub without --allow-exec", () => Task.FromResult(message ?? "<none>"));
            Console.WriteLine($"hub without --allow-exec: {message}");
            Assert.Contains("--allow-exec is missing on the hub", message);
            Assert.Contains("`flotilla hub run --allow-exec`", message);
            Assert.DoesNotContain(plugin.Token, message);
            Assert.Equal(runsAfterJoin, Runs(plugin)); // refused, never run

            // (a) The hub's client building with --allow-exec (the same MemberClients the hub uses) runs the plugin and gets in.
            using var clients = new MemberClients(fleet.Hub, TimeSpan.FromSeconds(10), new StoredCredentialPolicy([CredentialAllowance.Exec], "flotilla hub run"));
            var member = await clients.GetAsync(cluster, CancellationToken.None);
            var probe = await ClusterProber.ProbeAsync(member, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.Equal(ProbeOutcome.Ready, probe.Outcome);
            Assert.StartsWith("v1.20", probe.Version);
            Assert.Equal(runsAfterJoin + 1, Runs(plugin));
            var namespaces = await member.CoreV1.ListNamespaceAsync();
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
            Assert.Same(member, await clients.GetAsync(cluster, CancellationToken.None)); // one client, plugin not rerun per call
            Assert.Equal(runsAfterJoin + 1, Runs(plugin));

            // A hub with --allow-exec still refuses a cluster that was joined without it (recorded allowance removed).
            cluster.Spec.CredentialAllowances = null;
            var refused = await Assert.ThrowsAsync<InvalidCredentialsException>(() => clients.GetAsync(cluster, CancellationToken.None));
            Assert.Contains("--allow-exec is missing on the join", refused.Message);
            Assert.Contains("`flotilla cluster join exec-joined --allow-exec`", refused.Message);
        }
        finally
        {
            await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "exec-joined", "--orphan");
        }
    }
}
