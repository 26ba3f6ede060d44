using System.Diagnostics;

namespace Flotilla.Integration.Tests;

/// <summary>The outcome of one CLI run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real <c>flotilla</c> CLI (the built flotilla.dll) as a child process.</summary>
public static class CliRunner
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "flotilla.dll");

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        using var process = Process.Start(StartInfo(env, args))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running CLI command (e.g. <c>hub run</c>) with output to <paramref name="logPath"/>.</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> env, string logPath, params string[] args)
    {
        var info = StartInfo(env, args);
        var process = Process.Start(info)!;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> env, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env)
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }
        return info;
    }
}
