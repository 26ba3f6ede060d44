using System.ComponentModel;
using System.Diagnostics;
using System.Text;
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
        var start = new ProcessStartInfo(Options.ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        foreach (var argument in (string[])["kustomize", directory, "--load-restrictor=LoadRestrictionsRootOnly", "--enable-alpha-plugins=false", "--enable-helm=false"])
        {
            start.ArgumentList.Add(argument);
        }

        var path = start.Environment.TryGetValue("PATH", out var inherited) ? inherited : null;
        start.Environment.Clear();
        start.Environment["PATH"] = path ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["KUSTOMIZE_PLUGIN_HOME"] = pluginHome;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Win32Exception e)
        {
            return Fail(ManifestErrorCode.KustomizeFailed, source, $"could not start {Options.ExecutablePath}: {e.Message}");
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Options.Timeout);
            // Killing the process closes its pipes, which ends the reads below; no read can hang past the timeout.
            await using var kill = timeout.Token.Register(() => Kill(process)).ConfigureAwait(false);
            process.StandardInput.Close();

            var errorTask = CaptureErrorAsync(process.StandardError);
            var (output, truncated) = await CaptureOutputAsync(process.StandardOutput.BaseStream).ConfigureAwait(false);
            if (truncated)
            {
                Kill(process);
            }

            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Fail(ManifestErrorCode.LimitExceeded, source, $"kustomize did not finish within {Options.Timeout.TotalSeconds:0.#} seconds");
            }

            var error = await errorTask.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested)
            {
                return Fail(ManifestErrorCode.LimitExceeded, source, $"kustomize did not finish within {Options.Timeout.TotalSeconds:0.#} seconds");
            }

            if (truncated)
            {
                return Fail(ManifestErrorCode.LimitExceeded, source, $"kustomize output is larger than {Options.MaxOutputBytes} bytes");
            }

            if (process.ExitCode != 0)
            {
                return Fail(ManifestErrorCode.KustomizeFailed, source, $"kustomize failed (exit code {process.ExitCode}): {error}");
            }

            return KustomizeResult.Success(output);
        }
    }

    private async Task<(string Output, bool Truncated)> CaptureOutputAsync(Stream stdout)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stdout.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > Options.MaxOutputBytes)
            {
                return (string.Empty, true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
    }

    private async Task<string> CaptureErrorAsync(StreamReader stderr)
    {
        // Keep the head for the message and drain the rest so the process never blocks on a full pipe.
        var kept = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await stderr.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            var room = Options.MaxErrorChars - kept.Length;
            if (room > 0)
            {
                kept.Append(chunk, 0, Math.Min(room, read));
            }
        }

        return kept.ToString().Trim().ReplaceLineEndings(" | ");
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static KustomizeResult Fail(ManifestErrorCode code, SourceLocation source, string message) =>
        KustomizeResult.Failure(new ManifestError(code, source, message));
}
