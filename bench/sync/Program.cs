// bench/sync: how fast Flotilla takes a commit to N clusters, beside two baselines doing the same job on the same
// fleet: a sequential `kubectl apply --server-side` loop and a raw parallel server-side-apply driver. Each tool
// applies the same commits to its own namespace: a first one (everything created), then per run one commit that
// changes every object and one that changes 5% of them. Medians of the runs are reported.
using System.Diagnostics;
using Flotilla.Bench.Sync;
using Flotilla.Cli.Commands;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

var members = Arg("--members", 3);
var objects = Arg("--objects", 300);
var runs = Arg("--runs", 3);
// The raw driver gets Flotilla's per-cluster concurrency, so the baseline is the API servers' limit, not a weaker client.
var rawParallelism = new Flotilla.Controllers.ClusterSync.ClusterSyncOptions().ObjectParallelism;
Console.WriteLine($"bench/sync: {members} members x {objects} objects, median of {runs} runs, the machine let settle before each");
var dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-{Environment.ProcessId}");
var bin = await KubeBinaries.EnsureAsync(CancellationToken.None);
var launcher = new LocalFleetLauncher(Path.Combine(dir, "fleet"), TextWriter.Null);
var (state, _) = await launcher.UpAsync(members, bin, CancellationToken.None);
await LocalCommands.BootstrapAsync(state, CancellationToken.None);
Process? hub = null;
try
{
    var names = state.Members.Select(m => m.Name).ToList();
    var results = new Results();

    var kubectl = Path.Combine(bin, "kubectl");
    var kubectlDir = Path.Combine(dir, "kubectl");
    var clients = names.Select(n => new DynamicClient(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, n, TimeSpan.FromSeconds(30)))).ToList();
    // Flotilla: a hub process syncing a git repository; timed from the reconcile request to every cluster Synced.
    var repo = new BenchRepo(Path.Combine(dir, "repo"));
    var port = FreePorts.Take(1)[0];
    hub = Shell.Start(Path.Combine(dir, "hub.log"), "dotnet", Path.Combine(AppContext.BaseDirectory, "flotilla.dll"), "hub", "run",
        "--hub-kubeconfig", state.KubeconfigPath, "--hub-context", state.Hub.Name, "--listen", $"127.0.0.1:{port}",
        "--data-dir", Path.Combine(dir, "hub-data"), "--allow-local-sources");
    results.HubPid = hub.Id;
    var hubApi = new HubApi(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, state.Hub.Name), port);
    await hubApi.WaitLeaderAsync();

    // The three tools take each commit in turn, so each meets the fleet in the same state (every Deployment
    // rollout leaves ReplicaSets behind, and the API servers get slower as they hold more).
    foreach (var (scenario, versionOf) in Commits(runs))
    {
        Manifests.WriteFiles(kubectlDir, Manifests.Generate("bench-kubectl", objects, versionOf));
        await results.TimeAsync(Tool.Kubectl, scenario, () => Drivers.KubectlLoopAsync(kubectl, state.KubeconfigPath, names, kubectlDir));

        var commit = Manifests.Generate("bench-raw", objects, versionOf);
        await results.TimeAsync(Tool.Raw, scenario, () => Drivers.RawParallelAsync(clients, commit, rawParallelism));

        // Committed after the settle, just before the request, so the hub cannot pick the commit up before the clock
        // starts (the source's 1 h interval keeps periodic fetches out of the way too).
        var revision = "";
        await results.TimeAsync(Tool.Flotilla, scenario, async () =>
        {
            if (scenario == Scenario.First) await hubApi.CreateAsync(repo.Url);
            else await hubApi.RequestAsync("gitrepositories", "bench");
            await hubApi.WaitSyncedAsync(revision, names.Count);
        }, async () =>
        {
            revision = repo.Commit(Manifests.Generate("bench-flotilla", objects, versionOf));
            if (scenario != Scenario.First && await hubApi.SyncedAtAsync(revision))
                throw new InvalidOperationException("the hub synced the commit before it was asked to: this run would time nothing");
        });
    }

    // No-op resync: a reconcile of an unchanged bundle must write nothing to any member.
    await Settle.QuietAsync();
    var writesBefore = await hubApi.MemberWritesAsync();
    var syncedAt = await hubApi.LastSyncAsync();
    var clock = Stopwatch.StartNew();
    await hubApi.RequestAsync("bundles", "bench");
    await hubApi.WaitLastSyncAfterAsync(syncedAt);
    var noop = clock.Elapsed.TotalSeconds;
    var noopWrites = await hubApi.MemberWritesAsync() - writesBefore;

    // Drift: a hand edit on one member, timed until Flotilla has put it back.
    using var member1 = KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, names[0]);
    var drift = await Drift.MeasureAsync(member1, "bench-flotilla", "cm-0001");

    Console.WriteLine();
    results.Print(objects * names.Count);
    Console.WriteLine($"no-op resync: {noopWrites} write requests to members, {noop:0.00} s (target: 0 writes)");
    Console.WriteLine($"drift corrected in {drift.TotalMilliseconds:0} ms (target < 2000 ms)");
}
finally
{
    if (hub is { HasExited: false }) { hub.Kill(entireProcessTree: true); await hub.WaitForExitAsync(); }
    await launcher.DownAsync(purge: true, CancellationToken.None);
    Directory.Delete(dir, recursive: true);
}

// The commits every tool applies, in this order: the first, then per run one changing every object and one changing 5%.
static IEnumerable<(Scenario Scenario, Func<int, string> VersionOf)> Commits(int runs)
{
    yield return (Scenario.First, _ => "v1");
    for (var run = 1; run <= runs; run++)
    {
        var all = $"all-{run}";
        var few = $"few-{run}";
        yield return (Scenario.EveryObject, _ => all);
        yield return (Scenario.FivePercent, i => i % 20 == 0 ? few : all);
    }
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
