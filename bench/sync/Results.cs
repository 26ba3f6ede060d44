namespace Flotilla.Bench.Sync;

public enum Tool { Kubectl, Raw, DryRunApply, Flotilla }

public enum Scenario { First, EveryObject, FivePercent }

/// <summary>
/// Timed runs per tool and scenario, with the requests the members counted during each, printed as medians beside
/// the targets of issue 7.
/// </summary>
public sealed class Results(int members)
{
    private readonly Dictionary<(Tool, Scenario), List<Run>> _runs = [];

    /// <summary>One timed run: seconds, what the members counted (all members summed) and the objects changed per member.</summary>
    /// <summary>
    /// <paramref name="Phases"/>: for Flotilla, where the time went, from the hub's own histograms; <paramref name="Git"/>:
    /// for the dry-run+apply baseline, the part spent learning the commit from git (the rest is its requests).
    /// </summary>
    /// <paramref name="Commit"/>: which commit it took (runs of the same commit are one pair of the paired ratios).
    public sealed record Run(double Seconds, RequestCounts Requests, int Changed, HubTimes.Phases? Phases = null, double? Git = null, int Commit = 0)
    {
        public double? Engine => Phases?.Engine;

        /// <summary>The time after the commit was known: the whole run for a baseline without a git part.</summary>
        public double AfterGit => Seconds - (Git ?? 0);

        /// <summary>Client requests per changed object per member, the health probe's left out.</summary>
        public double PerChanged(int members) => (double)Requests.Clients(withProbe: false) / Math.Max(1, Changed * members);
    }

    public void Add(Tool tool, Scenario scenario, Run run)
    {
        (_runs.TryGetValue((tool, scenario), out var list) ? list : _runs[(tool, scenario)] = []).Add(run);
        Console.WriteLine($"    requests: {run.Requests.Clients(withProbe: false)} ({run.PerChanged(members):0.00} per changed object per member; "
            + $"writes {run.Requests.Writes}, dry-runs {run.Requests.DryRuns}, reads {run.Requests.Reads - run.Requests.Probe}, probe {run.Requests.Probe}): {run.Requests.Breakdown()}");
    }

    public void Print(int objects)
    {
        var scenarios = Enum.GetValues<Scenario>();
        Console.WriteLine($"{"median seconds (objects/s over the fleet)",-48}" + string.Concat(scenarios.Select(s => $"{Name(s),24}")));
        foreach (var tool in Enum.GetValues<Tool>())
            Console.WriteLine($"{Name(tool),-48}" + string.Concat(scenarios.Select(s => $"{$"{Median(tool, s):0.00} ({objects * members / Median(tool, s):0})",24}")));
        Console.WriteLine();
        Console.WriteLine($"{"requests per changed object per member (median)",-48}" + string.Concat(scenarios.Select(s => $"{Name(s),24}")));
        foreach (var tool in Enum.GetValues<Tool>())
            Console.WriteLine($"{Name(tool),-48}" + string.Concat(scenarios.Select(s => $"{PerChanged(tool, s),24:0.00}")));
        Console.WriteLine("  (from the members' apiserver_request_total: no watches, no health probe, none of a member's own controller traffic)");
        Console.WriteLine();
        Console.WriteLine($"{"flotilla's engine alone (median s)",-48}" + string.Concat(scenarios.Select(s => $"{MedianOf(Tool.Flotilla, s, r => r.Engine ?? double.NaN),24:0.00}")));
        Console.WriteLine($"{"  the fetch: GitRepository reconcile (median s)",-48}" + string.Concat(scenarios.Select(s => $"{MedianOf(Tool.Flotilla, s, r => r.Phases?.Fetch ?? double.NaN),24:0.000}")));
        Console.WriteLine($"{"  the render: Bundle reconcile (median s)",-48}" + string.Concat(scenarios.Select(s => $"{MedianOf(Tool.Flotilla, s, r => r.Phases?.Render ?? double.NaN),24:0.000}")));
        Console.WriteLine("  (the engine: one cluster's sync in the executor — plan, dry-runs, applies, inventory — mean over the clusters, from the hub's");
        Console.WriteLine("   flotilla_sync_duration_seconds; the fetch (git fetch, snapshot, its status write) and the render (render, placement, rollout)");
        Console.WriteLine("   from its controller_runtime_reconcile_time_seconds; the end-to-end time is fetch + render + the slowest cluster + the status write)");
        Console.WriteLine($"{"dry-run+apply: its git part (median s)",-48}" + string.Concat(scenarios.Select(s => $"{MedianOf(Tool.DryRunApply, s, r => r.Git ?? double.NaN),24:0.000}")));
        Console.WriteLine($"{"dry-run+apply: its requests alone (median s)",-48}" + string.Concat(scenarios.Select(s => $"{MedianOf(Tool.DryRunApply, s, r => r.AfterGit),24:0.000}")));
        Console.WriteLine("  (git fetch, rev-parse, diff-tree and cat-file of the changed files, parsed; then the dry-runs and applies)");
        Console.WriteLine();
        foreach (var scenario in new[] { Scenario.EveryObject, Scenario.FivePercent })
        {
            var flotilla = Median(Tool.Flotilla, scenario);
            var vsKubectl = Median(Tool.Kubectl, scenario) / flotilla;
            var vsRule = flotilla / Median(Tool.DryRunApply, scenario);
            var vsRaw = flotilla / Median(Tool.Raw, scenario);
            var requestsAlone = MedianOf(Tool.DryRunApply, scenario, r => r.AfterGit);
            var vsRequests = flotilla / requestsAlone;
            var engineVsRequests = MedianOf(Tool.Flotilla, scenario, r => r.Engine ?? double.NaN) / requestsAlone;
            var targets = scenario == Scenario.FivePercent;
            Console.WriteLine($"{Name(scenario)}: flotilla {vsRule:0.00}x the dry-run+apply baseline's time{(targets ? $" (target ≤ 1.15x: {Verdict(vsRule <= 1.15)})" : "")}, "
                + $"{vsKubectl:0.00}x faster than the kubectl loop{(targets ? $" (target ≥ 3x: {Verdict(vsKubectl >= 3)})" : "")}, {vsRaw:0.00}x the raw driver's time; "
                + $"{vsRequests:0.00}x the baseline's requests alone (the commit handed over, not fetched); the engine alone {engineVsRequests:0.00}x those requests");
        }
        var paired = PairedRatios(Tool.Flotilla, Tool.DryRunApply, Scenario.FivePercent);
        Console.WriteLine($"5% of objects change, commit by commit: flotilla / dry-run+apply over {paired.Count} commits both took: median {Quantile(paired, 0.5):0.00}, "
            + $"quartiles {Quantile(paired, 0.25):0.00}–{Quantile(paired, 0.75):0.00}, range {paired[0]:0.00}–{paired[^1]:0.00} "
            + $"(runs: flotilla {_runs[(Tool.Flotilla, Scenario.FivePercent)].Count}, dry-run+apply {_runs[(Tool.DryRunApply, Scenario.FivePercent)].Count}, kubectl {_runs[(Tool.Kubectl, Scenario.FivePercent)].Count}, raw {_runs[(Tool.Raw, Scenario.FivePercent)].Count})");
    }

    /// <summary>Per commit both tools took, <paramref name="tool"/>'s time over <paramref name="baseline"/>'s, sorted.</summary>
    private List<double> PairedRatios(Tool tool, Tool baseline, Scenario scenario)
    {
        var baselineTimes = _runs[(baseline, scenario)].ToDictionary(r => r.Commit, r => r.Seconds);
        return [.. _runs[(tool, scenario)].Where(r => baselineTimes.ContainsKey(r.Commit)).Select(r => r.Seconds / baselineTimes[r.Commit]).Order()];
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolated between neighbours.</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        var at = q * (sorted.Count - 1);
        var below = (int)Math.Floor(at);
        // On a value exactly, that value (a NaN beside it, as a run without an engine time, must not spread).
        return at == below ? sorted[below] : sorted[below] + (at - below) * (sorted[below + 1] - sorted[below]);
    }

    private double Median(Tool tool, Scenario scenario) => MedianOf(tool, scenario, r => r.Seconds);

    /// <summary>One Flotilla run's split: "fetch 0.045 s, render 0.019 s, engine 0.14 s per cluster".</summary>
    public static string Describe(HubTimes.Phases phases) =>
        $"fetch {Seconds(phases.Fetch)}, render {Seconds(phases.Render)}, engine {Seconds(phases.Engine)} per cluster";

    private static string Seconds(double? value) => value is { } v ? $"{v:0.000} s" : "-";

    private double PerChanged(Tool tool, Scenario scenario) => MedianOf(tool, scenario, r => r.PerChanged(members));

    private double MedianOf(Tool tool, Scenario scenario, Func<Run, double> value) => Quantile([.. _runs[(tool, scenario)].Select(value).Order()], 0.5);

    public static string Verdict(bool met) => met ? "met" : "MISSED";

    public static string Name(Tool tool) => tool switch
    {
        Tool.Kubectl => "kubectl apply --server-side, sequential",
        Tool.Raw => "raw parallel SSA of every object",
        Tool.DryRunApply => "dry-run+apply of changed objects",
        Tool.Flotilla => "flotilla, push webhook → all Synced",
    };

    public static string Name(Scenario scenario) => scenario switch
    {
        Scenario.First => "first apply",
        Scenario.EveryObject => "every object changes",
        Scenario.FivePercent => "5% of objects change",
    };
}
