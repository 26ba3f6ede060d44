using System.Diagnostics;

namespace Flotilla.Kube.LocalFleet;

/// <summary>
/// Starts programs that outlive the CLI (own session, output to a log file, no stdin) and checks or
/// stops them by pid — only when the pid still runs the same executable, so a reused pid is never killed.
/// </summary>
public static class DetachedProcess
{
    /// <summary>Starts <paramref name="executable"/> detached and returns its pid.</summary>
    public static int Start(string executable, IReadOnlyList<string> arguments, string logPath)
    {
        // setsid execs in place (the shell child is no group leader), so the pid we get is the program's own.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(logPath);
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        return process.Id;
    }

    /// <summary>True when <paramref name="pid"/> is alive and runs <paramref name="executable"/>.</summary>
    public static bool IsRunning(int pid, string executable)
    {
        if (pid <= 0) return false;
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            if (exe is null) return false;
            if (File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z") return false;
            return string.Equals(Path.GetFileName(exe), Path.GetFileName(ResolveExecutable(executable)), StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>
    /// True when <paramref name="pid"/> is gone or a zombie. Unlike <see cref="IsRunning"/> this is false while the
    /// started shell is still on its way to exec the program, so a just-started process is not taken for dead.
    /// </summary>
    public static bool HasExited(int pid)
    {
        if (pid <= 0) return true;
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z";
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL after <paramref name="grace"/>) if it is still ours.</summary>
    public static async Task StopAsync(int pid, string executable, TimeSpan grace, CancellationToken ct)
    {
        if (!IsRunning(pid, executable)) return;
        using var process = Process.GetProcessById(pid);
        Signal(pid, "TERM");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(grace);
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill();
            await process.WaitForExitAsync(ct);
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString()]) { UseShellExecute = false });
        kill?.WaitForExit();
    }

    /// <summary>Follows symlinks so that, e.g., a cached <c>etcd</c> link compares as /usr/bin/etcd.</summary>
    public static string ResolveExecutable(string path)
    {
        var info = new FileInfo(path);
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
    }
}
