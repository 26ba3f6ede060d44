using System.Diagnostics;

namespace Flotilla.Bench.Sync;

/// <summary>
/// Waits until this benchmark's own processes (its fleet, the hub) are quiet, so one run's aftermath (controllers
/// reacting to it) does not slow the next. Others' load on a shared machine is not waited for: it would never end.
/// First the API servers collect their garbage (<paramref name="collectGarbage"/>): without that, the run after an
/// every-object commit paid for that commit's garbage (the API servers spent 20–45 ms more CPU in it, and whichever
/// tool went first in a 5% commit took 10–25 ms longer than when it went second).
/// </summary>
public sealed class Settle(Func<IReadOnlyDictionary<int, string>> processes, Func<Task> collectGarbage)
{
    public async Task QuietAsync(double coresBelow = 0.25, int maxSeconds = 30)
    {
        await collectGarbage();
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var before = CpuUsage.Now(processes());
        while (quiet < 2 && clock.Elapsed.TotalSeconds < maxSeconds)
        {
            await Task.Delay(500);
            var now = CpuUsage.Now(processes());
            quiet = now.SecondsSince(before) / 0.5 < coresBelow ? quiet + 1 : 0;
            before = now;
        }
    }
}
