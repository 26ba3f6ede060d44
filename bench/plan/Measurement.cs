using System.Diagnostics;
using System.Globalization;

namespace Flotilla.Bench.Plan;

/// <summary>Median wall time and allocated bytes of one piece of work over several runs, after a warm-up.</summary>
internal sealed record Measurement(string Label, double Milliseconds, long Bytes)
{
    /// <summary>
    /// Runs <paramref name="prepare"/>(run) untimed, then the work it returns timed; run -1 and -2 are the warm-up
    /// (JIT, caches). Allocations are <c>GC.GetTotalAllocatedBytes(true)</c> before and after, after a full collection.
    /// </summary>
    public static Measurement Of(string label, int runs, Func<int, Action> prepare)
    {
        for (var warmUp = -2; warmUp < 0; warmUp++) prepare(warmUp)();
        var times = new double[runs];
        var bytes = new long[runs];
        for (var run = 0; run < runs; run++)
        {
            var work = prepare(run);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(true);
            var clock = Stopwatch.StartNew();
            work();
            times[run] = clock.Elapsed.TotalMilliseconds;
            bytes[run] = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        }
        Array.Sort(times);
        Array.Sort(bytes);
        return new Measurement(label, times[runs / 2], bytes[runs / 2]);
    }

    /// <summary>One line: label, median time, allocations, and the verdict against <paramref name="targetMilliseconds"/> when there is one.</summary>
    public string Line(double? targetMilliseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{Label,-58} {Milliseconds,9:F1} ms {Bytes / 1048576.0,9:F1} MiB")
        + (targetMilliseconds is { } target
            ? string.Create(CultureInfo.InvariantCulture, $"   target < {target:F0} ms: {(Milliseconds < target ? "met" : "MISSED")}")
            : "");
}
