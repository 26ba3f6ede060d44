using System.Diagnostics;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// A running git/ssh-keygen process with its environment replaced, stderr collected in the background
/// (first 64 KiB kept) and, on cancellation or dispose, its whole process tree killed — git starts ssh,
/// git-remote-https and upload-pack children that would otherwise outlive it.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxStderrChars = 64 * 1024;

    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ChildProcess(Process process)
    {
        _process = process;
        _stderr = CollectAsync(process.StandardError);
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

    /// <summary>Runs to completion and returns exit code, stdout (UTF-8) and stderr; kills the tree if <paramref name="ct"/> fires.</summary>
    public static async Task<ChildProcessResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        CancellationToken ct)
    {
        await using var process = Start(executable, arguments, environment, workingDirectory);
        using var reader = new StreamReader(process.StandardOutput, Encoding.UTF8);
        string stdout;
        using (ct.Register(process.Kill))
        {
            // Reading is not cancellable on a pipe; killing the process ends the read with EOF instead.
            stdout = await reader.ReadToEndAsync(CancellationToken.None);
        }

        var (exitCode, stderr) = await process.WaitAsync(ct);
        return new ChildProcessResult(exitCode, stdout, stderr);
    }

    /// <summary>Waits for exit; on cancellation kills the tree and throws <see cref="OperationCanceledException"/>.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitAsync(CancellationToken ct)
    {
        using (ct.Register(Kill))
        {
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        var stderr = await _stderr;
        ct.ThrowIfCancellationRequested();
        return (_process.ExitCode, stderr);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
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
        await _stderr;
        _process.Dispose();
    }

    private static async Task<string> CollectAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            // Keep draining past the cap so git never blocks on a full stderr pipe.
            text.Append(buffer, 0, Math.Min(read, Math.Max(0, MaxStderrChars - text.Length)));
        }

        return text.ToString();
    }
}
