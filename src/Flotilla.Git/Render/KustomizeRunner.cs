using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// Runs <c>kubectl kustomize</c> hermetically: load restrictor RootOnly, alpha (exec/container) plugins
/// and Helm off, an environment holding only <c>PATH</c>, a throw-away <c>HOME</c> and an empty
/// <c>KUSTOMIZE_PLUGIN_HOME</c>, a timeout that kills the process tree, and a cap on output.
/// </summary>
/// <remarks>
/// This is the last line of defence, not the first: <see cref="DirectoryRenderer"/> scans every reachable
/// kustomization for remote references, path escapes and plugins before calling it.
/// </remarks>
public sealed class KustomizeRunner
{
    /// <summary>Creates a runner.</summary>
    public KustomizeRunner(KustomizeRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options in force.</summary>
    public KustomizeRunnerOptions Options { get; }

    /// <summary>Builds the kustomization in <paramref name="directory"/>.</summary>
    /// <param name="directory">Absolute path of the directory holding the kustomization file.</param>
    /// <param name="source">What to name in a failure (the kustomization file, relative to the render root).</param>
    /// <param name="cancellationToken">Cancels the build and kills the process.</param>
    /// <exception cref="OperationCanceledException">The caller cancelled (a timeout is a failure result instead).</exception>
    public async Task<KustomizeResult> RunAsync(string directory, SourceLocation source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(source);

        var home = Directory.CreateTempSubdirectory("flotilla-kustomize-");
        try
        {
            var pluginHome = Directory.CreateDirectory(Path.Join(home.FullName, "plugins"));
            return await RunInAsync(directory, source, home.FullName, pluginHome.FullName, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private async Task<KustomizeResult> RunInAsync(
        string directory, SourceLocation source, string home, string pluginHome, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = home,
            ["KUSTOMIZE_PLUGIN_HOME"] = pluginHome,
        };
        var run = await BoundedProcess.RunAsync(Options.ExecutablePath,
            ["kustomize", directory, "--load-restrictor=LoadRestrictionsRootOnly", "--enable-alpha-plugins=false", "--enable-helm=false"],
            environment, home, Options.Timeout, Options.MaxOutputBytes, Options.MaxErrorChars, cancellationToken).ConfigureAwait(false);

        if (run.StartError is not null) return Fail(ManifestErrorCode.KustomizeFailed, source, run.StartError);
        if (run.TimedOut) return Fail(ManifestErrorCode.LimitExceeded, source, $"kustomize did not finish within {Options.Timeout.TotalSeconds:0.#} seconds");
        if (run.Truncated) return Fail(ManifestErrorCode.LimitExceeded, source, $"kustomize output is larger than {Options.MaxOutputBytes} bytes");
        if (run.ExitCode != 0) return Fail(ManifestErrorCode.KustomizeFailed, source, $"kustomize failed (exit code {run.ExitCode}): {run.Error}");
        return KustomizeResult.Success(run.Output);
    }

    private static KustomizeResult Fail(ManifestErrorCode code, SourceLocation source, string message) =>
        KustomizeResult.Failure(new ManifestError(code, source, message));
}
