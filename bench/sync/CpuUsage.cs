namespace Flotilla.Bench.Sync;

/// <summary>
/// CPU seconds spent by this benchmark's processes, by group (API servers, etcd, controller managers, the hub, this
/// driver), and by the whole machine: on 2 cores everything competes, so this is where a run's time went. Per process
/// in nanoseconds (the scheduler's run time of each thread), since a 5% commit costs each process a few ticks of 10 ms.
/// A window counts each thread's run time since the window began: a thread that ended inside it loses only what it ran
/// there (.NET retires idle pool threads, and subtracting their whole lives made whole processes read negative).
/// </summary>
public sealed class CpuUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<int, (string Group, Dictionary<int, long> Threads)> _processes;
    private readonly long _machineBusy;

    private CpuUsage(Dictionary<int, (string, Dictionary<int, long>)> processes, long machineBusy) => (_processes, _machineBusy) = (processes, machineBusy);

    /// <summary>The CPU used so far by the processes of <paramref name="groups"/> (pid → group) and by the machine.</summary>
    public static CpuUsage Now(IReadOnlyDictionary<int, string> groups)
    {
        var processes = new Dictionary<int, (string, Dictionary<int, long>)>();
        foreach (var (pid, group) in groups)
            if (ThreadNanoseconds(pid) is { } threads) processes[pid] = (group, threads);
        var (idle, total) = MachineTicks();
        return new CpuUsage(processes, total - idle);
    }

    /// <summary>utime + stime of <paramref name="pid"/> (fields 14 and 15 of its stat), or null when it has ended.</summary>
    public static long? Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        catch (IOException) { return null; }
    }

    /// <summary>
    /// Time each of <paramref name="pid"/>'s live threads has run (the first field of its schedstat), by thread id, or
    /// null when the process has ended.
    /// </summary>
    private static Dictionary<int, long>? ThreadNanoseconds(int pid)
    {
        try
        {
            var threads = new Dictionary<int, long>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try { threads[int.Parse(Path.GetFileName(task))] = long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0]); }
                catch (IOException) { } // the thread ended while we looked
            }
            return threads;
        }
        catch (IOException) { return null; }
    }

    /// <summary>What <paramref name="pid"/>'s threads ran since <paramref name="before"/> (a thread new since then: all of it).</summary>
    private static long NanosecondsSince(CpuUsage before, int pid, Dictionary<int, long> threads)
    {
        var earlier = before._processes.TryGetValue(pid, out var b) ? b.Threads : null;
        return threads.Sum(t => t.Value - (earlier?.GetValueOrDefault(t.Key) ?? 0));
    }

    /// <summary>Resident memory of <paramref name="pid"/> in MiB (VmRSS of its status).</summary>
    public static double RssMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;

    /// <summary>Idle and total CPU ticks of the machine so far (first line of /proc/stat: "cpu user nice system idle iowait …").</summary>
    public static (long Idle, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }

    /// <summary>CPU seconds the watched processes used since <paramref name="before"/>, summed.</summary>
    public double SecondsSince(CpuUsage before) =>
        _processes.Sum(p => NanosecondsSince(before, p.Key, p.Value.Threads)) / 1e9;

    /// <summary>"CPU 5.1 s (machine), apiservers 3.2, etcd 0.4, …" for the time since <paramref name="before"/>.</summary>
    public string Since(CpuUsage before)
    {
        var groups = _processes
            .Select(p => (p.Value.Group, Nanoseconds: NanosecondsSince(before, p.Key, p.Value.Threads)))
            .GroupBy(p => p.Group)
            .Select(g => (Group: g.Key, Seconds: g.Sum(p => p.Nanoseconds) / 1e9))
            .Where(g => g.Seconds > 0)
            .OrderByDescending(g => g.Seconds);
        return $"CPU {(_machineBusy - before._machineBusy) / TicksPerSecond:0.00} s machine: " + string.Join(", ", groups.Select(g => $"{g.Group} {g.Seconds:0.000}"));
    }
}
