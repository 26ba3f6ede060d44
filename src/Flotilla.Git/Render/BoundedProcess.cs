using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Flotilla.Git.Render;

/// <summary>
/// Runs a render tool (kustomize, helm) with only the environment given, a timeout that kills the process tree, a cap
/// on standard output (the process is killed when it writes more) and the head of standard error kept for the message.
/// </summary>
internal static class BoundedProcess
{
    /// <summary>What the run left behind; <see cref="StartError"/> is set when the executable could not be started.</summary>
    public sealed record Outcome(int ExitCode, string Output, string Error, bool TimedOut, bool Truncated, string? StartError);

    /// <exception cref="OperationCanceledException">The caller cancelled (a timeout is an outcome instead).</exception>
    public static async Task<Outcome> RunAsync(
        string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory,
        TimeSpan timeout, long maxOutputBytes, int maxErrorChars, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Win32Exception e)
        {
            return new Outcome(-1, "", "", false, false, $"could not start {executable}: {e.Message}");
        }

        using (process)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            // Killing the process closes its pipes, which ends the reads below; no read can hang past the timeout.
            await using var kill = deadline.Token.Register(() => Kill(process)).ConfigureAwait(false);
            process.StandardInput.Close();

            var errorTask = CaptureErrorAsync(process.StandardError, maxErrorChars);
            var (output, truncated) = await CaptureOutputAsync(process.StandardOutput.BaseStream, maxOutputBytes).ConfigureAwait(false);
            if (truncated) Kill(process);

            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
            }

            var error = await errorTask.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut |= deadline.IsCancellationRequested && !truncated;
            return new Outcome(timedOut ? -1 : process.ExitCode, output, error, timedOut, truncated, null);
        }
    }

    private static async Task<(string Output, bool Truncated)> CaptureOutputAsync(Stream stdout, long maxBytes)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stdout.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (string.Empty, true);
            buffer.Write(chunk, 0, read);
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
    }

    private static async Task<string> CaptureErrorAsync(StreamReader stderr, int maxChars)
    {
        // Keep the head for the message and drain the rest so the process never blocks on a full pipe.
        var kept = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await stderr.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            var room = maxChars - kept.Length;
            if (room > 0) kept.Append(chunk, 0, Math.Min(room, read));
        }

        return kept.ToString().Trim().ReplaceLineEndings(" | ");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing to kill.
        }
    }
}
