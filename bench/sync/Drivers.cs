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
    /// Exactly the requests Flotilla's stage rule demands and nothing else: a server-side-apply dry-run of every changed
    /// object, then its apply, stage by stage (the namespace, then the rest). As in Flotilla, the stages' dry-runs go in
    /// one round unless the commit creates objects (<paramref name="creates"/>: a later stage may need them), and each
    /// stage is applied before the next. The changed objects come from <see cref="GitChanges"/>, their bodies from
    /// <see cref="FlotillaBodies"/>, sent without <c>force</c> as Flotilla sends them (its Bundle does not ask for it):
    /// the same requests as Flotilla's but for the namespace's name and one label value. The same parallelism
    /// as the raw driver, all clusters at once.
    /// </summary>
    public static Task DryRunThenApplyAsync(IReadOnlyList<DynamicClient> clusters, IReadOnlyList<JsonObject> changed, bool creates, int parallelism) =>
        Task.WhenAll(clusters.Select(async client =>
        {
            var stages = new[] { changed.Where(IsNamespace).ToList(), changed.Where(o => !IsNamespace(o)).ToList() };
            Task Round(IEnumerable<JsonObject> objects, bool dryRun) => Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                (o, ct) => new ValueTask(ApplyAsync(client, o, ct, dryRun, force: false)));
            if (!creates) await Round(stages.SelectMany(s => s), dryRun: true);
            foreach (var stage in stages)
            {
                if (creates) await Round(stage, dryRun: true);
                await Round(stage, dryRun: false);
            }
        }));

    private static bool IsNamespace(JsonObject o) => o["kind"]!.GetValue<string>() == "Namespace";

    private static async Task ApplyAsync(DynamicClient client, JsonObject o, CancellationToken ct, bool dryRun = false, bool force = true) =>
        await client.ApplyAsync((await client.ResourceForAsync(o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>(), ct))!, o, dryRun, force, ct);
}
