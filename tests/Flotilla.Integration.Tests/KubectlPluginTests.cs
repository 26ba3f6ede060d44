namespace Flotilla.Integration.Tests;

/// <summary>
/// The CLI installed as <c>kubectl-flotilla</c> on PATH is a kubectl plugin: the pinned kubectl runs it, and kubectl's
/// <c>--kubeconfig</c>/<c>--context</c> name the hub (no other way to find it is left in the environment).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class KubectlPluginTests(FleetFixture fleet)
{
    [Fact]
    public async Task Kubectl_flotilla_runs_the_CLI_with_kubectls_flags_naming_the_hub()
    {
        var work = Directory.CreateTempSubdirectory("flotilla-plugin-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(work.FullName, "bin")).FullName;
            File.CreateSymbolicLink(Path.Combine(bin, "kubectl-flotilla"), Path.Combine(AppContext.BaseDirectory, "flotilla"));
            var env = new Dictionary<string, string?>
            {
                ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
                ["HOME"] = work.FullName,
                ["KUBECONFIG"] = null, ["FLOTILLA_HUB_KUBECONFIG"] = null, ["FLOTILLA_HUB_CONTEXT"] = null,
                ["FLOTILLA_LOCAL_DIR"] = Path.Combine(work.FullName, "no-local-fleet"),
            };
            async Task<CliResult> KubectlAsync(params string[] args) => await ToolRunner.RunAsync(ToolRunner.Kubectl, args, env);

            var plugins = await KubectlAsync("plugin", "list");
            Assert.Contains(Path.Combine(bin, "kubectl-flotilla"), plugins.Stdout);

            var version = await KubectlAsync("flotilla", "version");
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.StartsWith("flotilla ", version.Stdout);
            Assert.Contains("commit: ", version.Stdout);

            // Without the flags there is no hub to find; with kubectl's flags the hub's clusters are listed.
            var lost = await KubectlAsync("flotilla", "cluster", "list");
            Assert.NotEqual(0, lost.ExitCode);
            var listed = await KubectlAsync("flotilla", "--kubeconfig", fleet.State.KubeconfigPath, "--context", fleet.State.Hub.Name, "cluster", "list");
            Assert.True(listed.ExitCode == 0, listed.ToString());
            Assert.Contains("member-1", listed.Stdout);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
