using System.Security.Cryptography;

namespace Flotilla.Integration.Tests;

/// <summary>
/// <c>scripts/release.sh linux-x64</c> renders the install manifests and builds a CLI that runs where no .NET is installed: the test hides the SDK (a PATH
/// with no dotnet, no DOTNET_ROOT, nothing else from this environment) and runs <c>version</c>, <c>--help</c> and
/// <c>local status</c> of the real local fleet with it.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ReleaseBinaryTests(FleetFixture fleet)
{
    [Fact]
    public async Task The_linux_x64_release_runs_without_dotnet_and_prints_its_version_and_commit()
    {
        var root = ToolRunner.RepositoryRoot;
        var work = Directory.CreateTempSubdirectory("flotilla-release-");
        try
        {
            var output = Path.Combine(work.FullName, "release");
            var release = await ToolRunner.RunAsync("bash", [Path.Combine(root, "scripts", "release.sh"), "linux-x64"],
                new Dictionary<string, string?> { ["FLOTILLA_RELEASE_DIR"] = output }, timeout: TimeSpan.FromMinutes(15), workingDirectory: root);
            Assert.True(release.ExitCode == 0, release.ToString());
            var binary = Path.Combine(output, "flotilla-linux-x64");
            var sums = await File.ReadAllLinesAsync(Path.Combine(output, "SHA256SUMS"));
            Assert.Contains($"{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(binary)))}  flotilla-linux-x64", sums);
            var install = Path.Combine(output, "install.yaml");
            Assert.Contains($"{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(install)))}  install.yaml", sums);
            Assert.Contains("kind: Deployment", await File.ReadAllTextAsync(install));

            var empty = Directory.CreateDirectory(Path.Combine(work.FullName, "empty-path")).FullName;
            var noDotnet = new Dictionary<string, string?>
            {
                ["PATH"] = empty, ["HOME"] = work.FullName, ["FLOTILLA_LOCAL_DIR"] = fleet.Directory, ["COREHOST_TRACE"] = "1",
            };
            async Task<CliResult> RunAsync(params string[] args) => await ToolRunner.RunAsync(binary, args, noDotnet, onlyEnv: true);

            var version = await RunAsync("version");
            Assert.True(version.ExitCode == 0, version.ToString());
            var commit = (await ToolRunner.RunAsync("git", ["rev-parse", "HEAD"], new Dictionary<string, string?>(), workingDirectory: root)).Stdout.Trim();
            Assert.Contains($"commit: {commit}", version.Stdout);
            Assert.StartsWith("flotilla ", version.Stdout);
            // The host's own trace: it ran on the runtime inside the file, not on an installed one.
            Assert.Contains("Executing as a self-contained app", version.Stderr);

            var help = await RunAsync("--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("completion", help.Stdout);

            var status = await RunAsync("local", "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains(fleet.State.Hub.Name, status.Stdout);
            Assert.Contains("Running", status.Stdout);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
