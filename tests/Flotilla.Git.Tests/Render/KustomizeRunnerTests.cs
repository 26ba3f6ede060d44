using System.Diagnostics;
using Flotilla.Core.Manifests;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

/// <summary>The process contract of <see cref="KustomizeRunner"/>, exercised with stand-in executables.</summary>
public sealed class KustomizeRunnerTests : IDisposable
{
    private static readonly SourceLocation Source = new("apps/kustomization.yaml");
    private readonly TempTree _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task Runs_kubectl_kustomize_hermetically()
    {
        Environment.SetEnvironmentVariable("FLOTILLA_TEST_LEAK", "must-not-reach-kustomize");
        var script = _tools.Script("kubectl", "echo \"ARGS:$*\"\nenv\necho \"PLUGINS:$(ls -A \"$KUSTOMIZE_PLUGIN_HOME\" | wc -l)\"\necho \"PWD:$(pwd)\"");

        var result = await Runner(script).RunAsync("/repo/apps", Source, CancellationToken.None);

        Assert.Null(result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ARGS:kustomize /repo/apps --load-restrictor=LoadRestrictionsRootOnly --enable-alpha-plugins=false --enable-helm=false", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("FLOTILLA_TEST_LEAK=", StringComparison.Ordinal));
        var variables = lines.Where(l => l.Contains('=') && !l.StartsWith("ARGS:", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf('=')])
            .Where(name => name is not ("PWD" or "SHLVL" or "_" or "OLDPWD")) // set by the shell itself
            .Order(StringComparer.Ordinal);
        Assert.Equal(["HOME", "KUSTOMIZE_PLUGIN_HOME", "PATH"], variables);
        var home = lines.Single(l => l.StartsWith("HOME=", StringComparison.Ordinal))["HOME=".Length..];
        Assert.NotEqual(Environment.GetEnvironmentVariable("HOME"), home);
        Assert.Contains("PLUGINS:0", lines);
        Assert.Contains($"PWD:{home}", lines);
        Assert.False(Directory.Exists(home), "the temporary HOME was not removed");
    }

    [Fact]
    public async Task A_hung_build_is_killed_at_the_timeout()
    {
        var script = _tools.Script("kubectl", "sleep 30 &\nwait");
        var clock = Stopwatch.StartNew();

        var result = await Runner(script, timeout: TimeSpan.FromMilliseconds(500)).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Equal(ManifestErrorCode.LimitExceeded, result.Error?.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_refused()
    {
        var script = _tools.Script("kubectl", "head -c 5000000 /dev/zero | tr '\\0' 'a'");

        var result = await Runner(script, maxOutput: RenderLimits.MiB).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Equal(ManifestErrorCode.LimitExceeded, result.Error?.Code);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Output_under_the_cap_is_returned_whole()
    {
        var script = _tools.Script("kubectl", "head -c 500000 /dev/zero | tr '\\0' 'a'");

        var result = await Runner(script, maxOutput: RenderLimits.MiB).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(500_000, result.Output.Length);
    }

    [Fact]
    public async Task A_failing_build_reports_exit_code_and_stderr()
    {
        var script = _tools.Script("kubectl", "echo 'Error: accumulating resources: bad thing' >&2\nexit 3");

        var result = await Runner(script).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Equal(ManifestErrorCode.KustomizeFailed, result.Error?.Code);
        Assert.Equal(Source, result.Error!.Source);
        Assert.Contains("exit code 3", result.Error.Message);
        Assert.Contains("bad thing", result.Error.Message);
    }

    [Fact]
    public async Task Huge_stderr_is_truncated_without_blocking_the_process()
    {
        var script = _tools.Script("kubectl", "head -c 3000000 /dev/zero | tr '\\0' 'e' >&2\nexit 1");

        var result = await Runner(script).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Equal(ManifestErrorCode.KustomizeFailed, result.Error?.Code);
        Assert.True(result.Error!.Message.Length < 2_200, $"message length {result.Error.Message.Length}");
    }

    [Fact]
    public async Task A_missing_executable_is_a_failure_not_an_exception()
    {
        var result = await Runner(_tools.PathOf("does-not-exist")).RunAsync("/repo", Source, CancellationToken.None);

        Assert.Equal(ManifestErrorCode.KustomizeFailed, result.Error?.Code);
    }

    [Fact]
    public async Task Caller_cancellation_kills_the_build_and_throws()
    {
        var script = _tools.Script("kubectl", "exec sleep 30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(script).RunAsync("/repo", Source, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KustomizeRunner(KustomizeRunnerOptions.Default with { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new KustomizeRunner(KustomizeRunnerOptions.Default with { ExecutablePath = " " }));
    }

    private static KustomizeRunner Runner(string executable, TimeSpan? timeout = null, long? maxOutput = null) =>
        new(KustomizeRunnerOptions.Default with
        {
            ExecutablePath = executable,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxOutputBytes = maxOutput ?? KustomizeRunnerOptions.Default.MaxOutputBytes,
        });
}
