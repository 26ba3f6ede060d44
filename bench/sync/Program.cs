// bench/sync: how fast Flotilla takes a commit to N clusters, beside two baselines run here on the same fleet:
// sequential `kubectl apply --server-side` per cluster, and a raw parallel server-side-apply driver.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Bench.Sync;
using Flotilla.Cli.Commands;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

var members = Arg("--members", 3);
// The raw driver gets Flotilla's per-cluster concurrency, so the baseline is the API servers' limit, not a weaker client.
var rawParallelism = new Flotilla.Controllers.Bundles.BundleOptions().ObjectParallelism;
var objects = Arg("--objects", 300);
Console.WriteLine($"bench/sync: {members} members x {objects} objects");
var dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-{Environment.ProcessId}");
var bin = await KubeBinaries.EnsureAsync(CancellationToken.None);
var launcher = new LocalFleetLauncher(Path.Combine(dir, "fleet"), TextWriter.Null);
var (state, _) = await launcher.UpAsync(members, bin, CancellationToken.None);
await LocalCommands.BootstrapAsync(state, CancellationToken.None);
Process? hub = null;
try
{
    var names = state.Members.Select(m => m.Name).ToList();
    var results = new List<(string Name, double Seconds, string Note)>();

    // Baseline 1: kubectl apply --server-side, one cluster after another.
    var yamlDir = Path.Combine(dir, "kubectl");
    Manifests.WriteYaml(yamlDir, Manifests.Generate("bench-kubectl", objects, "v1"));
    var kubectl = Path.Combine(bin, "kubectl");
    var clock = Stopwatch.StartNew();
    foreach (var name in names) await Shell.RunAsync(kubectl, "--kubeconfig", state.KubeconfigPath, "--context", name, "apply", "--server-side", "--field-manager", "bench", "-R", "-f", yamlDir);
    results.Add(("kubectl apply --server-side, sequential", clock.Elapsed.TotalSeconds, ""));

    // Baseline 2: raw parallel SSA: every object PATCHed once, as many at a time per cluster as Flotilla uses, all clusters at once.
    var raw = Manifests.Generate("bench-raw", objects, "v1");
    clock.Restart();
    await Task.WhenAll(names.Select(async name =>
    {
        var client = new DynamicClient(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, name, TimeSpan.FromSeconds(30)));
        foreach (var ns in raw.Where(o => o["kind"]!.GetValue<string>() == "Namespace"))
            await client.ApplyAsync((await client.ResourceForAsync("v1", "Namespace", default))!, ns, false, true, default);
        await Parallel.ForEachAsync(raw.Where(o => o["kind"]!.GetValue<string>() != "Namespace"), new ParallelOptions { MaxDegreeOfParallelism = rawParallelism }, async (o, ct) =>
            await client.ApplyAsync((await client.ResourceForAsync(o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>(), ct))!, o, false, true, ct));
    }));
    results.Add(("raw parallel SSA driver", clock.Elapsed.TotalSeconds, ""));

    // Flotilla: a hub process syncing a git repository.
    var repo = new BenchRepo(Path.Combine(dir, "repo"));
    var first = repo.Commit(Manifests.Generate("bench-flotilla", objects, "v1"));
    var port = FreePorts.Take(1)[0];
    hub = Shell.Start(Path.Combine(dir, "hub.log"), "dotnet", Path.Combine(AppContext.BaseDirectory, "flotilla.dll"), "hub", "run",
        "--hub-kubeconfig", state.KubeconfigPath, "--hub-context", state.Hub.Name, "--listen", $"127.0.0.1:{port}",
        "--data-dir", Path.Combine(dir, "hub-data"), "--allow-local-sources");
    var hubApi = new HubApi(KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, state.Hub.Name), port);
    await hubApi.WaitLeaderAsync();
    clock.Restart();
    await hubApi.CreateAsync(repo.Url);
    await hubApi.WaitSyncedAsync(first, names.Count);
    results.Add(("flotilla first sync (source created → converged)", clock.Elapsed.TotalSeconds, ""));

    var second = repo.Commit(Manifests.Generate("bench-flotilla", objects, "v2"));
    clock.Restart();
    await hubApi.RequestAsync("gitrepositories", "bench");
    await hubApi.WaitSyncedAsync(second, names.Count);
    var commit = clock.Elapsed.TotalSeconds;
    results.Add(("flotilla new commit → all clusters converged", commit, ""));

    // No-op resync: a reconcile of an unchanged bundle must write nothing to any member.
    var writesBefore = await hubApi.MemberWritesAsync();
    var syncedAt = await hubApi.LastSyncAsync();
    clock.Restart();
    await hubApi.RequestAsync("bundles", "bench");
    await hubApi.WaitLastSyncAfterAsync(syncedAt);
    var noop = clock.Elapsed.TotalSeconds;
    var noopWrites = await hubApi.MemberWritesAsync() - writesBefore;

    // Drift: a hand edit on one member, timed until Flotilla has put it back.
    using var member1 = KubeClientFactory.FromUserKubeconfig(state.KubeconfigPath, names[0]);
    var drift = await Drift.MeasureAsync(member1, "bench-flotilla", "cm-0001");

    var (kubectlSeconds, rawSeconds) = (results[0].Seconds, results[1].Seconds);
    var total = (double)objects * names.Count;
    Console.WriteLine();
    Console.WriteLine($"{"run",-52} {"seconds",8} {"objects/s",10} {"vs kubectl",10} {"vs raw",8}");
    foreach (var (name, seconds, _) in results)
        Console.WriteLine($"{name,-52} {seconds,8:0.00} {total / seconds,10:0} {kubectlSeconds / seconds,9:0.00}x {seconds / rawSeconds,7:0.00}x");
    Console.WriteLine();
    Console.WriteLine($"speed-up of commit→converged over the kubectl loop: {kubectlSeconds / commit:0.00}x (target ≥ 3x)");
    Console.WriteLine($"commit→converged relative to the raw driver: {commit / rawSeconds:0.00}x (target ≤ 1.5x)");
    Console.WriteLine($"no-op resync: {noopWrites} write requests to members, {noop:0.00}s (target: 0 writes)");
    Console.WriteLine($"drift corrected in {drift.TotalMilliseconds:0} ms (target < 2000 ms)");
}
finally
{
    if (hub is { HasExited: false }) { hub.Kill(entireProcessTree: true); await hub.WaitForExitAsync(); }
    await launcher.DownAsync(purge: true, CancellationToken.None);
    Directory.Delete(dir, recursive: true);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
