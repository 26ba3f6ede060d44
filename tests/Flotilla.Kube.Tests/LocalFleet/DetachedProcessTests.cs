using System.Diagnostics;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Kube.Tests.LocalFleet;

public sealed class DetachedProcessTests
{
    [Fact]
    public void A_live_process_running_another_program_is_not_ours_but_has_not_exited()
    {
        // The state of a just-started fleet process while its shell has not exec'd the program yet.
        var pid = Environment.ProcessId;

        Assert.False(DetachedProcess.IsRunning(pid, "/usr/bin/kube-apiserver-not-this"));
        Assert.False(DetachedProcess.HasExited(pid));
    }

    [Fact]
    public async Task A_started_program_is_running_until_it_ends()
    {
        var log = Path.GetTempFileName();
        try
        {
            var sleeper = DetachedProcess.Start("/bin/sleep", ["30"], log);
            Assert.False(DetachedProcess.HasExited(sleeper));
            // StopAsync leaves a pid alone until it runs the program (see IsRunning), so wait for the exec.
            await WaitAsync(() => DetachedProcess.IsRunning(sleeper, "/bin/sleep"), "sleep running");
            await DetachedProcess.StopAsync(sleeper, "/bin/sleep", TimeSpan.FromSeconds(5), CancellationToken.None);
            Assert.True(DetachedProcess.HasExited(sleeper));

            var quick = DetachedProcess.Start("/bin/true", [], log);
            await WaitAsync(() => DetachedProcess.HasExited(quick), "/bin/true exited");
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{what}: not true after 10 s");
            await Task.Delay(20);
        }
    }
}
