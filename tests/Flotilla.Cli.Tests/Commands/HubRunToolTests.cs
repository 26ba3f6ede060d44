using System.Diagnostics;

namespace Flotilla.Cli.Tests.Commands;

/// <summary>
/// The real CLI: <c>hub run</c> with a <c>--helm</c> or <c>FLOTILLA_KUBECTL</c> naming a file that is not there stops
/// before connecting anywhere, with one <c>error:</c> line naming the flag or variable and exit code 1.
/// </summary>
public sealed class HubRunToolTests
{
    /// <summary>The CLI as built beside the tests (the apphost of the referenced Flotilla.Cli project).</summary>
    private static string Flotilla => Path.Combine(AppContext.BaseDirectory, "flotilla");

    private static readonly string Missing = Path.Combine(Path.GetTempPath(), $"flotilla-no-such-dir-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_helm_flag_naming_a_missing_file_stops_the_start_with_one_error_line()
    {
        var (exitCode, stderr) = await RunAsync(new Dictionary<string, string>(), "hub", "run", "--helm", Path.Combine(Missing, "helm"), "--kubeconfig", Path.Combine(Missing, "kubeconfig"));

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: --helm {Path.Combine(Missing, "helm")}: no such file (scripts/install-tools.sh installs the pinned helm v3.17.2)", stderr.Trim());
    }

    [Fact]
    public async Task A_kubectl_variable_naming_a_missing_file_stops_the_start_with_one_error_line()
    {
        var (exitCode, stderr) = await RunAsync(new Dictionary<string, string> { ["FLOTILLA_KUBECTL"] = Path.Combine(Missing, "kubectl") },
            "hub", "run", "--kubeconfig", Path.Combine(Missing, "kubeconfig"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: FLOTILLA_KUBECTL={Path.Combine(Missing, "kubectl")}: no such file", stderr.Trim());
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Flotilla) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in new[] { "FLOTILLA_HELM", "FLOTILLA_KUBECTL", "FLOTILLA_DEBUG" }) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
