using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;

namespace Flotilla.Bench.Sync;

/// <summary>The three baselines: what a script would do with each commit, and the requests Flotilla's rule demands.</summary>
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

    /// <summary>
    /// Exactly the requests Flotilla's stage rule demands and nothing else: per stage (the namespace, then the rest),
    /// a server-side-apply dry-run of every changed object, then its apply; the changed objects are given, not read.
    /// The same parallelism as the raw driver, all clusters at once.
    /// </summary>
    public static Task DryRunThenApplyAsync(IReadOnlyList<DynamicClient> clusters, IReadOnlyList<JsonObject> changed, int parallelism) =>
        Task.WhenAll(clusters.Select(async client =>
        {
            foreach (var stage in new[] { changed.Where(IsNamespace).ToList(), changed.Where(o => !IsNamespace(o)).ToList() })
            {
                foreach (var dryRun in new[] { true, false })
                    await Parallel.ForEachAsync(stage, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                        (o, ct) => new ValueTask(ApplyAsync(client, o, ct, dryRun)));
            }
        }));

    private static bool IsNamespace(JsonObject o) => o["kind"]!.GetValue<string>() == "Namespace";

    private static async Task ApplyAsync(DynamicClient client, JsonObject o, CancellationToken ct, bool dryRun = false) =>
        await client.ApplyAsync((await client.ResourceForAsync(o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>(), ct))!, o, dryRun, true, ct);
}
