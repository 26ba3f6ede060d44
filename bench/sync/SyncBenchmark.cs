using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;

namespace Flotilla.Bench.Sync;

/// <summary>
/// How fast Flotilla takes a commit to N clusters, beside three baselines doing the same job on the same fleet, each
/// in its own namespace: a sequential <c>kubectl apply --server-side</c> loop, a raw parallel server-side apply of
/// every object, and a dry-run then apply of just the changed objects (exactly what Flotilla's stage rule demands;
/// like Flotilla it starts from a commit on a git remote, which it fetches and diffs with the git CLI: see
/// <see cref="GitChanges"/>). Commits: a first one, then per run one changing every object and one changing 5%.
/// Tools take a round's commits in one order and the next round's in the reverse order. The hub runs throughout, as it would in production (warm, its watches
/// open), and is idle while the baselines run: its bench Bundle has nothing to do between Flotilla's turns and its
/// watches select only Flotilla's objects. Before the timed runs the two .NET tools (Flotilla and the dry-run
/// driver) take <c>warmups</c> rounds of the same two commit kinds untimed: a fresh .NET process spends much of its CPU
/// re-compiling code as it turns hot (the tiered JIT: perf put 79% of the hub's samples over its first commits in the
/// JIT's background thread, still 55% after two rounds, because the sync path runs a few times per commit and a method
/// is promoted after 30 calls), which a hub that has run for an hour has long done. Requests are counted by the
/// members' own API servers.
/// </summary>
public static class SyncBenchmark
{
    private const string Bundle = "bench";

    public static async Task RunAsync(int members, int objects, int runs, int warmups, int fivePercentRuns)
    {
        Console.WriteLine($"bench/sync: {members} members x {objects} objects, median of {runs} runs after {warmups} untimed warm-up rounds "
            + $"({Math.Max(runs, fivePercentRuns)} of the 5% commit for flotilla and the dry-run+apply baseline), tools forward and reversed in turn, the bench's own processes let settle before each");
        // The raw and dry-run drivers get Flotilla's per-cluster concurrency, so they show the API servers' limit, not a weaker client.
        var parallelism = new Flotilla.Controllers.ClusterSync.ClusterSyncOptions().ObjectParallelism;
        await using var fleet = await BenchFleet.UpAsync(members);
        var names = fleet.Members;
        var clients = names.Select(n => new DynamicClient(KubeClientFactory.FromUserKubeconfig(fleet.State.KubeconfigPath, n, TimeSpan.FromSeconds(30)))).ToList();
        var kubectl = Path.Combine(fleet.Bin, "kubectl");
        var kubectlDir = Path.Combine(fleet.Dir, "kubectl");
        var repo = new BenchRepo(Path.Combine(fleet.Dir, "repo"));
        var ruleRepo = new BenchRepo(Path.Combine(fleet.Dir, "repo-rule"));
        var ruleChanges = new GitChanges(ruleRepo.Url, Path.Combine(fleet.Dir, "rule-cache.git"));
        double? ruleGit = null;
        var results = new Results(names.Count);
        var tools = Enum.GetValues<Tool>();
        Func<int, string> previous = _ => "";
        var revision = "";
        var commit = 0;
        await fleet.Hub.StartAsync();
        foreach (var (scenario, versionOf, timed, allTools) in Commits(runs, warmups, fivePercentRuns))
        {
            var changed = Enumerable.Range(0, objects).Count(i => versionOf(i) != previous(i));
            Console.WriteLine($"  commit {commit}: {Results.Name(scenario)} ({changed} of {objects} objects per member){(timed ? "" : ", not timed")}");
            // A round (an every-object commit and its 5% commit) takes the tools in one order, the next round in the reverse
            // order, so each tool goes before each other one equally often in both kinds of commit.
            foreach (var tool in (commit + 1) / 2 % 2 == 0 ? tools : Enumerable.Reverse(tools))
            {
                // Warm-ups and the extra 5% commits are for the .NET tools: kubectl is a fresh Go process each time, and the
                // raw driver shares the dry-run driver's process and client code.
                if (!allTools && tool is not (Tool.Flotilla or Tool.DryRunApply)) continue;
                ruleGit = null;
                var run = tool switch
                {
                    Tool.Kubectl => new Timed(() =>
                    {
                        Manifests.WriteFiles(kubectlDir, Manifests.Generate("bench-kubectl", objects, versionOf));
                        return Task.CompletedTask;
                    }, () => Drivers.KubectlLoopAsync(kubectl, fleet.State.KubeconfigPath, names, kubectlDir)),
                    Tool.Raw => new Timed(null, () => Drivers.RawParallelAsync(clients, Manifests.Generate("bench-raw", objects, versionOf), parallelism)),
                    // Committed before the clock starts, as Flotilla's commit is; the baseline fetches it and finds what changed.
                    Tool.DryRunApply => new Timed(() =>
                    {
                        ruleRepo.Commit(Manifests.Generate("bench-rule", objects, versionOf));
                        return Task.CompletedTask;
                    }, async () =>
                    {
                        var clock = Stopwatch.StartNew();
                        var taken = await ruleChanges.TakeAsync();
                        ruleGit = clock.Elapsed.TotalSeconds;
                        // The git diff must name exactly the objects the commit changed, or the baseline would time less work.
                        if (taken.Count != changed) throw new InvalidOperationException($"the baseline's git diff named {taken.Count} objects, the commit changed {changed}");
                        await Drivers.DryRunThenApplyAsync(clients, FlotillaBodies.For(taken, Bundle), creates: scenario == Scenario.First, parallelism);
                    }),
                    // Committed after the settle, just before the request, so the hub cannot pick the commit up before the
                    // clock starts (the source's 1 h interval keeps periodic fetches out of the way too).
                    Tool.Flotilla => new Timed(async () =>
                    {
                        revision = repo.Commit(Manifests.Generate("bench-flotilla", objects, versionOf));
                        if (scenario == Scenario.First) await fleet.Hub.Api.CreateWebhookSecretAsync();
                        if (scenario != Scenario.First && await fleet.Hub.Api.SyncedAtAsync(Bundle, revision))
                            throw new InvalidOperationException("the hub synced the commit before it was asked to: this run would time nothing");
                    }, async () =>
                    {
                        if (scenario == Scenario.First)
                        {
                            await fleet.Hub.Api.CreateSourceAsync(repo.Url);
                            await fleet.Hub.Api.CreateBundleAsync(Bundle, "objects");
                        }
                        else await fleet.Hub.Api.PushAsync();
                        await fleet.Hub.Api.WaitSyncedAsync(Bundle, revision, names.Count);
                    }),
                };
                var timesBefore = tool == Tool.Flotilla ? await fleet.Hub.Api.TimesAsync() : null;
                var (seconds, requests, cpu) = await TimeAsync(fleet, run);
                var phases = timesBefore is null ? null : (await fleet.Hub.Api.TimesAsync()).Since(timesBefore);
                var split = phases is not null ? $" ({Results.Describe(phases)})" : ruleGit is { } git ? $" (git {git:0.000} s, requests {seconds - git:0.000} s)" : "";
                var limits = tool switch
                {
                    Tool.Flotilla => $"; hub's request limits {string.Join(",", await fleet.Hub.Api.ConcurrencyLimitsAsync())}",
                    Tool.DryRunApply => $"; driver's request limits {string.Join(",", clients.Select(c => c.Concurrency.Limit).Order())}",
                    _ => "",
                };
                Console.WriteLine($"    {Results.Name(tool)}: {seconds:0.00} s{split} ({cpu}{limits})");
                if (timed) results.Add(tool, scenario, new Results.Run(seconds, requests, changed, phases, ruleGit, commit));
            }
            previous = versionOf;
            commit++;
        }

        // No-op resync: a resync of an unchanged bundle (its interval edited, so a new generation) must send nothing to any member.
        await fleet.Settle.QuietAsync();
        var before = await fleet.Metrics.ReadAsync();
        // lastSyncTime has whole seconds: the resync must fall in a later second than the last sync to show.
        var next = (await fleet.Hub.Api.LastSyncAsync(Bundle))!.Value.AddSeconds(1);
        while (DateTimeOffset.UtcNow < next) await Task.Delay(50);
        var clock = Stopwatch.StartNew();
        await fleet.Hub.Api.SetIntervalAsync(Bundle, "59m");
        await fleet.Hub.Api.WaitSyncedSinceAsync(Bundle, next);
        var noop = clock.Elapsed.TotalSeconds;
        var noopRequests = await fleet.Metrics.SinceSettledAsync(before);

        // Drift: a hand edit on one member, timed until Flotilla has put it back.
        await fleet.Hub.Api.WaitWatchingAsync([names[0]], 1);
        using var member1 = KubeClientFactory.FromUserKubeconfig(fleet.State.KubeconfigPath, names[0]);
        var drift = await Drift.MeasureAsync(member1, "bench-flotilla", "cm-0001");

        Console.WriteLine();
        results.Print(objects);
        var noopCount = noopRequests.Clients(withProbe: false);
        Console.WriteLine($"no-op resync: {noopCount} requests to members besides watches and the health probe ({noopRequests.Probe} probe requests in the {noop:0.00} s) "
            + $"(target 0: {Results.Verdict(noopCount == 0)}){(noopCount > 0 ? ": " + noopRequests.Breakdown() : "")}");
        Console.WriteLine($"drift corrected in {drift.TotalMilliseconds:0} ms (target < 1000 ms: {Results.Verdict(drift < TimeSpan.FromSeconds(1))})");
    }

    /// <summary>What a tool does before the clock starts, and what is timed.</summary>
    private sealed record Timed(Func<Task>? Prepare, Func<Task> Run);

    private static async Task<(double Seconds, RequestCounts Requests, string Cpu)> TimeAsync(BenchFleet fleet, Timed timed)
    {
        await fleet.Settle.QuietAsync();
        if (timed.Prepare is not null) await timed.Prepare();
        var before = await fleet.Metrics.ReadAsync();
        var cpu = CpuUsage.Now(fleet.Processes());
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await timed.Run();
        var seconds = clock.Elapsed.TotalSeconds;
        if (Environment.GetEnvironmentVariable("BENCH_WINDOWS_FILE") is { } windows) File.AppendAllText(windows, $"{startedAt:0.000} {startedAt + seconds:0.000}\n");
        var used = CpuUsage.Now(fleet.Processes()).Since(cpu);
        return (seconds, await fleet.Metrics.SinceSettledAsync(before), used);
    }

    // The commits, in this order: the first (timed), then per warm-up round (untimed, the .NET tools only) and per run
    // one changing every object and one changing 5%; then, for the .NET tools only, more rounds up to fivePercentRuns
    // whose every-object commit is untimed: a 5% commit is a few tenths of a second, and on two shared cores one run's
    // ratio moves by ±0.15, more than a median of five can settle. Each 5% commit follows an every-object commit, as in
    // the runs: back-to-back 5% commits timed the baseline slower (0.17 s against 0.14 s at 3 x 300) and Flotilla not.
    private static IEnumerable<(Scenario Scenario, Func<int, string> VersionOf, bool Timed, bool AllTools)> Commits(int runs, int warmups, int fivePercentRuns)
    {
        yield return (Scenario.First, _ => "v1", true, true);
        for (var run = 1 - warmups; run <= Math.Max(runs, fivePercentRuns); run++)
        {
            var all = $"all-{run + warmups}";
            var few = $"few-{run + warmups}";
            var main = run > 0 && run <= runs;
            yield return (Scenario.EveryObject, _ => all, main, main);
            yield return (Scenario.FivePercent, i => Manifests.InFivePercent(i) ? few : all, run > 0, main);
        }
    }
}
