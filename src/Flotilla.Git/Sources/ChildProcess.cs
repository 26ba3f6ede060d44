using System.Diagnostics;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// A running git/ssh-keygen process with its environment replaced, stderr collected in the background
/// (first 64 KiB kept) and, on cancellation or dispose, its whole process tree killed — git starts ssh,
/// git-remote-https and upload-pack children that would otherwise outlive it. A descendant that escaped
/// the kill could hold the output pipes open forever, so after the process exits its output is awaited
/// for a short grace only.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxCapturedChars = 64 * 1024;
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly OutputCapture _stderr;

    private ChildProcess(Process process)
    {
        _process = process;
        _stderr = new OutputCapture(process.StandardError);
    }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public Stream StandardInput => _process.StandardInput.BaseStream;

    public static ChildProcess Start(
        string executable,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        bool redirectInput = false)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (name, value) in environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        if (!redirectInput) process.StandardInput.Close();
        return new ChildProcess(process);
    }

    /// <summary>Runs to completion and returns exit code, stdout (first 64 KiB) and stderr; kills the tree if <paramref name="ct"/> fires.</summary>
    public static async Task<ChildProcessResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        CancellationToken ct)
    {
        await using var process = Start(executable, arguments, environment, workingDirectory);
        var stdout = new OutputCapture(new StreamReader(process.StandardOutput, Encoding.UTF8));
        var (exitCode, stderr) = await process.WaitAsync(ct);
        return new ChildProcessResult(exitCode, await stdout.TextAsync(), stderr);
    }

    /// <summary>Waits for exit; on cancellation kills the tree and throws <see cref="OperationCanceledException"/>.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitAsync(CancellationToken ct)
    {
        using (ct.Register(Kill))
        {
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        var stderr = await _stderr.TextAsync();
        ct.ThrowIfCancellationRequested();
        return (_process.ExitCode, stderr);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: nothing to kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        await _stderr.TextAsync();
        _process.Dispose();
    }

    /// <summary>Drains a pipe in the background so the child never blocks on it, keeping the first 64 KiB.</summary>
    private sealed class OutputCapture
    {
        private readonly StringBuilder _text = new();
        private readonly Task _draining;

        public OutputCapture(StreamReader reader) => _draining = DrainAsync(reader);

        /// <summary>The text so far, once the pipe closed or the grace ran out (call after the process exited).</summary>
        public async Task<string> TextAsync()
        {
            if (!_draining.IsCompleted) await Task.WhenAny(_draining, Task.Delay(OutputGrace));
            lock (_text) return _text.ToString();
        }

        private async Task DrainAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            try
            {
                int read;
                while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    lock (_text) _text.Append(buffer, 0, Math.Min(read, Math.Max(0, MaxCapturedChars - _text.Length)));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The pipe was closed under us when the process was disposed; what was read is kept.
                return;
            }
        }
    }
}
