namespace Flotilla.Bench.Sync;

/// <summary>
/// CPU seconds spent during a run, per kind of process (API servers, etcd, controller managers, the hub, this
/// driver) and for the whole machine: on 2 cores everything competes, so this is where a run's time went.
/// </summary>
public sealed class CpuUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<int, (string Group, long Ticks)> _processes;
    private readonly long _machineBusy;

    private CpuUsage(Dictionary<int, (string, long)> processes, long machineBusy) => (_processes, _machineBusy) = (processes, machineBusy);

    public static CpuUsage Now(int? hubPid)
    {
        var processes = new Dictionary<int, (string, long)>();
        foreach (var path in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(path), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(path, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var group = pid == Environment.ProcessId ? "driver" : pid == hubPid ? "hub" : comm switch
                {
                    "kube-apiserver" => "apiservers",
                    "etcd" => "etcd",
                    "kube-controller" => "controller-managers",
                    _ => null,
                };
                // utime and stime are fields 14 and 15 of stat; fields here start at field 3.
                if (group is not null) processes[pid] = (group, long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException) { } // the process ended while being read
        }
        var (idle, total) = MachineTicks();
        return new CpuUsage(processes, total - idle);
    }

    /// <summary>Idle and total CPU ticks of the machine so far (first line of /proc/stat: "cpu user nice system idle iowait …").</summary>
    public static (long Idle, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }

    /// <summary>"machine 5.1 s: apiservers 3.2, etcd 0.4, …" for the time since <paramref name="before"/>.</summary>
    public string Since(CpuUsage before)
    {
        var groups = _processes
            .Select(p => (p.Value.Group, Ticks: p.Value.Ticks - (before._processes.TryGetValue(p.Key, out var b) ? b.Ticks : 0)))
            .GroupBy(p => p.Group)
            .Select(g => (Group: g.Key, Seconds: g.Sum(p => p.Ticks) / TicksPerSecond))
            .Where(g => g.Seconds > 0)
            .OrderByDescending(g => g.Seconds);
        return $"CPU {(_machineBusy - before._machineBusy) / TicksPerSecond:0.0} s: " + string.Join(", ", groups.Select(g => $"{g.Group} {g.Seconds:0.0}"));
    }
}
