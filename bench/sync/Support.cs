using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Sync;

public static class Shell
{
    public static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {await err}");
    }

    public static Process Start(string log, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}

public sealed class BenchRepo(string path)
{
    public string Url => $"file://{path}";

    public string Commit(IEnumerable<JsonObject> objects)
    {
        if (!Directory.Exists(path)) { Directory.CreateDirectory(path); Git("init", "-q", "-b", "main"); }
        Manifests.WriteFiles(Path.Combine(path, "objects"), objects);
        Git("add", "-A");
        Git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "bench");
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}

public sealed class HubApi(Kubernetes hub, int port)
{
    private readonly HttpClient _http = new();

    public async Task WaitLeaderAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            try { if ((await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/leader")).GetProperty("leader").GetBoolean()) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("hub never became leader");
    }

    public async Task CreateAsync(string url)
    {
        await Apply("gitrepositories", new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository", ["metadata"] = new JsonObject { ["name"] = "bench", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["url"] = url, ["interval"] = "1h" },
        });
        await Apply("bundles", new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle", ["metadata"] = new JsonObject { ["name"] = "bench", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["sourceRef"] = new JsonObject { ["name"] = "bench" }, ["path"] = "objects", ["sync"] = new JsonObject { ["interval"] = "1h" } },
        });
    }

    public Task RequestAsync(string plural, string name) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["flotilla.io/reconcile-requested-at"] = DateTimeOffset.UtcNow.ToString("O") } },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, "default", plural, name);

    public async Task WaitSyncedAsync(string revision, int clusters)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            var status = (await BundleAsync()).Status;
            if (status?.Clusters?.Count(c => c.Phase == "Synced" && c.AppliedRevision == revision) == clusters) return;
            if (status?.Clusters?.FirstOrDefault(c => c.Phase == "Failed") is { } failed) throw new InvalidOperationException($"{failed.Name}: {failed.Error}");
            await Task.Delay(50);
        }
        throw new TimeoutException("bundle never converged");
    }

    /// <summary>Whether any cluster already reports <paramref name="revision"/> applied.</summary>
    public async Task<bool> SyncedAtAsync(string revision) =>
        (await BundleAsync()).Status?.Clusters?.Any(c => c.AppliedRevision == revision) == true;

    public async Task<DateTimeOffset?> LastSyncAsync() => (await BundleAsync()).Status?.Clusters?.Min(c => c.LastSyncTime);

    public async Task WaitLastSyncAfterAsync(DateTimeOffset? after)
    {
        while ((await LastSyncAsync()) <= after) await Task.Delay(50);
    }

    public async Task<long> MemberWritesAsync()
    {
        var metrics = await _http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        return long.Parse(metrics.Split('\n').Single(l => l.StartsWith("flotilla_member_writes_total ")).Split(' ')[1]);
    }

    private async Task<BundleResource> BundleAsync() =>
        KubeJson.As<BundleResource>(await hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, "default", "bundles", "bench"));

    private Task Apply(string plural, JsonObject o) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(o.ToJsonString(), V1Patch.PatchType.ApplyPatch), FlotillaApi.Group, FlotillaApi.Version,
            "default", plural, o["metadata"]!["name"]!.GetValue<string>(), fieldManager: "bench", force: true);
}

public static class Drift
{
    /// <summary>Edits one managed ConfigMap as another manager and times until Flotilla restored it.</summary>
    public static async Task<TimeSpan> MeasureAsync(Kubernetes member, string ns, string name)
    {
        var desired = (await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data["version"];
        await Task.Delay(4000); // the drift watch for a newly managed kind starts within 3 s
        var clock = Stopwatch.StartNew();
        await member.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"version":"hand-edited"}}""", V1Patch.PatchType.MergePatch), name, ns, fieldManager: "kubectl-edit");
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if ((await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data["version"] == desired) return clock.Elapsed;
            await Task.Delay(20);
        }
        throw new TimeoutException("drift was not corrected within 30 s");
    }
}
