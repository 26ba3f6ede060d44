using System.Diagnostics;

namespace Flotilla.Bench.Sync;

public enum Tool { Kubectl, Raw, Flotilla }

public enum Scenario { First, EveryObject, FivePercent }

/// <summary>Timed runs per tool and scenario, printed as medians with the targets of the GitOps issue.</summary>
public sealed class Results
{
    private readonly Dictionary<(Tool, Scenario), List<double>> _seconds = [];

    /// <summary>The hub process, whose CPU is shown on its own.</summary>
    public int? HubPid { get; set; }

    /// <summary>Times <paramref name="run"/> once the machine is quiet; <paramref name="prepare"/> runs just before the clock starts.</summary>
    public async Task TimeAsync(Tool tool, Scenario scenario, Func<Task> run, Func<Task>? prepare = null)
    {
        await Settle.QuietAsync();
        if (prepare is not null) await prepare();
        var cpu = CpuUsage.Now(HubPid);
        var clock = Stopwatch.StartNew();
        await run();
        var seconds = clock.Elapsed.TotalSeconds;
        var used = CpuUsage.Now(HubPid).Since(cpu);
        (_seconds.TryGetValue((tool, scenario), out var list) ? list : _seconds[(tool, scenario)] = []).Add(seconds);
        Console.WriteLine($"  {Name(tool)}, {Name(scenario)}: {seconds:0.00} s ({used})");
    }

    public void Print(int objects)
    {
        var scenarios = Enum.GetValues<Scenario>();
        Console.WriteLine($"{"median seconds (objects/s)",-46}" + string.Concat(scenarios.Select(s => $"{Name(s),24}")));
        foreach (var tool in Enum.GetValues<Tool>())
            Console.WriteLine($"{Name(tool),-46}" + string.Concat(scenarios.Select(s => $"{$"{Median(tool, s):0.00} ({objects / Median(tool, s):0})",24}")));
        Console.WriteLine();
        foreach (var scenario in new[] { Scenario.EveryObject, Scenario.FivePercent })
        {
            var flotilla = Median(Tool.Flotilla, scenario);
            var speedUp = Median(Tool.Kubectl, scenario) / flotilla;
            var vsRaw = flotilla / Median(Tool.Raw, scenario);
            Console.WriteLine($"commit, {Name(scenario)}: {speedUp:0.00}x faster than the kubectl loop (target ≥ 3x: {Verdict(speedUp >= 3)}), "
                + $"{vsRaw:0.00}x the raw driver's time (target ≤ 1.5x: {Verdict(vsRaw <= 1.5)})");
        }
    }

    private double Median(Tool tool, Scenario scenario)
    {
        var sorted = _seconds[(tool, scenario)].Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Name(Tool tool) => tool switch
    {
        Tool.Kubectl => "kubectl apply --server-side, sequential",
        Tool.Raw => "raw parallel SSA driver",
        Tool.Flotilla => "flotilla, reconcile request → all Synced",
    };

    private static string Name(Scenario scenario) => scenario switch
    {
        Scenario.First => "first apply",
        Scenario.EveryObject => "every object changes",
        Scenario.FivePercent => "5% of objects change",
    };
}
