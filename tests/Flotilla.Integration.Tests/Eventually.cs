using System.Diagnostics;

namespace Flotilla.Integration.Tests;

/// <summary>Waits on a condition with a deadline (no fixed sleeps); returns how long it took.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, Func<Task<string>>? describe = null,
        TimeSpan? pollEvery = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"{what}: not true after {deadline.TotalSeconds:0}s{(describe is null ? "" : "; state: " + await describe())}");
            await Task.Delay(pollEvery ?? TimeSpan.FromMilliseconds(250));
        }
        return clock.Elapsed;
    }
}
