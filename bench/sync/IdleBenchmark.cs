using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;

namespace Flotilla.Bench.Sync;

/// <summary>
/// What the hub costs when nothing changes. The bundles (each a namespace and ConfigMaps, so all turn Healthy) are
/// placed on 3, then 6, then every member; the hub's RSS is read at each step once it is quiet. Then, with every
/// bundle on every member, an idle window: the hub's CPU-seconds and the requests each member's own API server
/// counted (watch streams, the member's own controller traffic and the bench's scrapes aside), with and without the
/// health probe. The same window is first measured with no hub running, to show what the counting leaves as noise.
/// </summary>
public static class IdleBenchmark
{
    private const string Placement = "bench-idle";

    public static async Task RunAsync(int members, int bundles, int objectsPerMember, int seconds)
    {
        var perBundle = objectsPerMember / bundles;
        Console.WriteLine($"bench/idle: {members} members, {bundles} bundles x {perBundle} objects (a namespace and ConfigMaps) = {perBundle * bundles} managed objects per member, idle window {seconds} s");
        await using var fleet = await BenchFleet.UpAsync(members);
        var names = fleet.Members;
        var window = TimeSpan.FromSeconds(seconds);

        await fleet.Settle.QuietAsync();
        var baseline = await CountAsync(fleet, window);
        Console.WriteLine($"  no hub: {PerMemberMinute(baseline.Clients(), names.Count, window):0.0} requests per member per minute counted (the counting's noise): {baseline.Breakdown()}");

        var repo = new BenchRepo(Path.Combine(fleet.Dir, "repo"));
        var folders = Enumerable.Range(1, bundles).ToDictionary(b => $"b-{b:00}", b => (IEnumerable<JsonObject>)ConfigMaps($"idle-{b:00}", perBundle));
        var revision = repo.Commit(folders);
        await fleet.Hub.StartAsync();
        await fleet.Hub.Api.CreateWebhookSecretAsync();
        await fleet.Hub.Api.CreateSourceAsync(repo.Url);
        foreach (var folder in folders.Keys) await fleet.Hub.Api.CreateBundleAsync(folder, folder, (Placement, "on"));

        using var hubClient = KubeClientFactory.FromUserKubeconfig(fleet.State.KubeconfigPath, fleet.State.Hub.Name);
        var registry = new ClusterRegistry(hubClient);
        var rss = new List<(int Members, double MiB)>();
        var placed = 0;
        foreach (var step in Steps(names.Count))
        {
            for (; placed < step; placed++) await registry.LabelAsync(names[placed], [new LabelChange(Placement, "on")], CancellationToken.None);
            foreach (var folder in folders.Keys) await fleet.Hub.Api.WaitSyncedAsync(folder, revision, step, TimeSpan.FromMinutes(20));
            await fleet.Settle.QuietAsync();
            rss.Add((step, CpuUsage.RssMiB(fleet.Hub.Pid!.Value)));
            Console.WriteLine($"  {step} members x {perBundle * bundles} objects synced: hub RSS {rss[^1].MiB:0} MiB");
        }

        await fleet.Settle.QuietAsync();
        var hubPid = fleet.Hub.Pid!.Value;
        var cpuBefore = CpuUsage.Ticks(hubPid)!.Value;
        // The hub's own API server too: what the hub writes and reads there while nothing changes.
        var hubBefore = await fleet.ApiServers.ReadAsync(fleet.State.Hub.Name);
        var idle = await CountAsync(fleet, window);
        var onHub = (await fleet.ApiServers.ReadAsync(fleet.State.Hub.Name)).Since(hubBefore);
        var cpu = (CpuUsage.Ticks(hubPid)!.Value - cpuBefore) / 100.0;

        var minutes = window.TotalMinutes;
        var withProbe = PerMemberMinute(idle.Clients(), names.Count, window);
        var withoutProbe = PerMemberMinute(idle.Clients(withProbe: false), names.Count, window);
        var cpuPerMember = cpu / minutes / names.Count;
        var slope = Slope(rss);
        Console.WriteLine();
        Console.WriteLine($"idle {seconds} s, {names.Count} members, {bundles} bundles: hub {cpu / minutes:0.000} CPU-s per minute = {cpuPerMember:0.0000} per member per minute "
            + $"(target ≤ 0.1: {Results.Verdict(cpuPerMember <= 0.1)})");
        Console.WriteLine($"requests per member per minute: {withProbe:0.0} with the health probe, {withoutProbe:0.0} without "
            + $"(target ≤ 10: {Results.Verdict(withoutProbe <= 10)}); all members: {idle.Breakdown()}");
        double OnHub(Func<RequestKey, bool> which) => PerMemberMinute(onHub.ByKey.Where(c => which(c.Key)).Sum(c => c.Value), names.Count, window);
        Console.WriteLine($"the hub's own API server, per member per minute: {OnHub(k => k is { Resource: "clusters", Verb: "PATCH" or "UPDATE" }):0.0} Cluster writes, "
            + $"{OnHub(k => k is { Resource: "clusters", Verb: "GET" }):0.0} Cluster reads (its GC's included), {OnHub(k => k is { Resource: "secrets", Verb: "GET" }):0.0} Secret reads "
            + $"(the credentials recheck), {OnHub(k => k.Group == "flotilla.io" && k.Verb is "PATCH" or "UPDATE" or "CREATE" or "APPLY"):0.0} writes of Flotilla's kinds in all");
        Console.WriteLine($"hub RSS: {string.Join(", ", rss.Select(r => $"{r.MiB:0} MiB at {r.Members}"))} members; slope {slope:0.0} MiB per member "
            + $"at {perBundle * bundles} objects each (target ≤ 10: {Results.Verdict(slope <= 10)})");
    }

    /// <summary>Member counts the RSS is read at: 3, 6 and all (fewer steps on a smaller fleet).</summary>
    private static IEnumerable<int> Steps(int members) => new[] { 3, 6, members }.Where(s => s <= members).Distinct();

    private static async Task<RequestCounts> CountAsync(BenchFleet fleet, TimeSpan window)
    {
        var before = await fleet.Metrics.ReadAsync();
        await Task.Delay(window);
        return await fleet.Metrics.SinceAsync(before);
    }

    private static double PerMemberMinute(long requests, int members, TimeSpan window) => requests / window.TotalMinutes / members;

    /// <summary>Least-squares slope of RSS over members.</summary>
    private static double Slope(List<(int Members, double MiB)> points)
    {
        if (points.Count < 2) return 0;
        var mx = points.Average(p => p.Members);
        var my = points.Average(p => p.MiB);
        return points.Sum(p => (p.Members - mx) * (p.MiB - my)) / points.Sum(p => (p.Members - mx) * (p.Members - mx));
    }

    /// <summary>A namespace and <paramref name="count"/> - 1 ConfigMaps in it.</summary>
    private static List<JsonObject> ConfigMaps(string ns, int count) =>
        [.. Enumerable.Range(0, count).Select(i => i == 0
            ? new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }
            : new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"cm-{i:0000}", ["namespace"] = ns },
                ["data"] = new JsonObject { ["index"] = i.ToString() },
            })];
}
