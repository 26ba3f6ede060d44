using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;

namespace Flotilla.Bench.Sync;

/// <summary>The two baselines: what a script would do with each commit.</summary>
public static class Drivers
{
    /// <summary><c>kubectl apply --server-side</c> of the whole commit, one cluster after another.</summary>
    public static async Task KubectlLoopAsync(string kubectl, string kubeconfig, IEnumerable<string> clusters, string dir)
    {
        foreach (var cluster in clusters)
            await Shell.RunAsync(kubectl, "--kubeconfig", kubeconfig, "--context", cluster, "apply", "--server-side", "--field-manager", "bench", "-R", "-f", dir);
    }

    /// <summary>
    /// Every object of the commit PATCHed once with server-side apply (no reads, no dry-run), the namespace first,
    /// then <paramref name="parallelism"/> at a time per cluster, all clusters at once: the API servers' limit here.
    /// </summary>
    public static Task RawParallelAsync(IReadOnlyList<DynamicClient> clusters, IReadOnlyList<JsonObject> objects, int parallelism) =>
        Task.WhenAll(clusters.Select(async client =>
        {
            foreach (var ns in objects.Where(IsNamespace)) await ApplyAsync(client, ns, default);
            await Parallel.ForEachAsync(objects.Where(o => !IsNamespace(o)), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                (o, ct) => new ValueTask(ApplyAsync(client, o, ct)));
        }));

    private static bool IsNamespace(JsonObject o) => o["kind"]!.GetValue<string>() == "Namespace";

    private static async Task ApplyAsync(DynamicClient client, JsonObject o, CancellationToken ct) =>
        await client.ApplyAsync((await client.ResourceForAsync(o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>(), ct))!, o, false, true, ct);
}

/// <summary>Waits until the machine is quiet, so one run's aftermath (controllers reacting to it) does not slow the next.</summary>
public static class Settle
{
    public static async Task QuietAsync(double busyBelow = 0.25, int maxSeconds = 30)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var before = CpuUsage.MachineTicks();
        while (quiet < 2 && clock.Elapsed.TotalSeconds < maxSeconds)
        {
            await Task.Delay(500);
            var now = CpuUsage.MachineTicks();
            var busy = 1 - (double)(now.Idle - before.Idle) / Math.Max(1, now.Total - before.Total);
            quiet = busy < busyBelow ? quiet + 1 : 0;
            before = now;
        }
    }
}
