using System.Diagnostics;

namespace Flotilla.Integration.Tests;

/// <summary>Runs a program (kubectl, a release binary, a script) and returns its outcome.</summary>
public static class ToolRunner
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>. <paramref name="env"/> sets (or, with null, removes)
    /// variables; with <paramref name="onlyEnv"/> the child gets those variables and no others.
    /// </summary>
    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?> env,
        bool onlyEnv = false, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);
        if (onlyEnv) info.Environment.Clear();
        foreach (var (k, v) in env)
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }
        using var process = Process.Start(info)!;
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try { await process.WaitForExitAsync(deadline.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0}s");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The pinned kubectl of the local fleet's binaries (not the machine's own).</summary>
    public static string Kubectl => Path.Combine(Flotilla.Cli.Commands.KubeBinaries.Directory, "kubectl");

    /// <summary>The repository's root (the directory holding Flotilla.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Flotilla.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Flotilla.sln not found above the test directory");
        }
    }
}
