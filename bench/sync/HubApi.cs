using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Sync;

/// <summary>What the benchmark asks of a running hub: its leader state and metrics, and the bench's source and Bundles (namespace default).</summary>
public sealed class HubApi(Kubernetes hub, int port)
{
    private readonly HttpClient _http = new();
    private readonly WatchedBundles _bundles = new(new DynamicClient(hub));

    public async Task WaitLeaderAsync()
    {
        for (var i = 0; i < 1200; i++)
        {
            try { if ((await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/leader")).GetProperty("leader").GetBoolean()) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("hub never became leader");
    }

    // The key the bench signs its pushes with (the GitRepository's Secret holds it, as a Git host's webhook would).
    private static readonly string WebhookKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>The Secret of GitRepository <c>bench</c>: the key its pushes are signed with (before the source, outside the clock).</summary>
    public Task CreateWebhookSecretAsync() => hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
    {
        Metadata = new V1ObjectMeta { Name = "bench-hook", NamespaceProperty = "default" },
        Data = new Dictionary<string, byte[]> { ["webhookSecret"] = Encoding.UTF8.GetBytes(WebhookKey) },
    }, "default");

    /// <summary>The GitRepository <c>bench</c> (checked hourly, so only the bench's pushes fetch), with the Secret <see cref="CreateWebhookSecretAsync"/> made.</summary>
    public Task CreateSourceAsync(string url) => Apply("gitrepositories", new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository", ["metadata"] = new JsonObject { ["name"] = "bench", ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["url"] = url, ["interval"] = "1h", ["secretRef"] = new JsonObject { ["name"] = "bench-hook" } },
    });

    /// <summary>
    /// A push notification for GitRepository <c>bench</c>, signed as a Git host signs it (<c>POST /hooks/git/…</c>):
    /// how a commit reaches the hub in production. It must be accepted (202), or the run would time nothing.
    /// </summary>
    public async Task PushAsync()
    {
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/hooks/git/default/bench") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookKey), body)));
        using var response = await _http.SendAsync(request);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted) throw new InvalidOperationException($"the hub answered the push with {(int)response.StatusCode}");
    }

    /// <summary>A Bundle of <paramref name="path"/> in source <c>bench</c>, resynced hourly, on the clusters labelled <paramref name="selector"/> (all when null).</summary>
    public Task CreateBundleAsync(string name, string path, (string Key, string Value)? selector = null)
    {
        var spec = new JsonObject { ["sourceRef"] = new JsonObject { ["name"] = "bench" }, ["path"] = path, ["sync"] = new JsonObject { ["interval"] = "1h" } };
        if (selector is { } s)
            spec["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [s.Key] = s.Value } } };
        return Apply("bundles", new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = spec,
        });
    }

    /// <summary>
    /// Changes the bundle's resync interval: a new generation, so every cluster resyncs the same revision now. (A
    /// reconcile-request annotation on a Bundle queues no cluster: the engine queues pairs only on a new generation,
    /// revision or placement.)
    /// </summary>
    public Task SetIntervalAsync(string bundle, string interval) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject
        {
            ["spec"] = new JsonObject { ["sync"] = new JsonObject { ["interval"] = interval } },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), FlotillaApi.Group, FlotillaApi.Version, "default", "bundles", bundle);

    /// <summary>
    /// Waits until <paramref name="clusters"/> clusters report <paramref name="bundle"/> Synced at <paramref name="revision"/> (any
    /// revision when null), as the bench's one Bundle watch last saw it (<see cref="WatchedBundles"/>): the clock stops when the
    /// status arrives, and waiting sends the hub's API server nothing while Flotilla works.
    /// </summary>
    public async Task WaitSyncedAsync(string bundle, string? revision, int clusters, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(10));
        try
        {
            while (true)
            {
                var changed = _bundles.Changed;
                if (_bundles.Get(bundle) is { } current && Converged(current)) return;
                await changed.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"bundle {bundle} never converged");
        }

        bool Converged(BundleResource b)
        {
            var status = b.Status;
            if (status?.Clusters?.FirstOrDefault(c => c.Phase == "Failed") is { } failed) throw new InvalidOperationException($"{bundle} on {failed.Name}: {failed.Error}");
            return status?.Clusters?.Count(c => c.Phase == "Synced" && (revision is null || c.AppliedRevision == revision)) == clusters;
        }
    }

    /// <summary>Whether any cluster already reports <paramref name="revision"/> applied.</summary>
    public async Task<bool> SyncedAtAsync(string bundle, string revision) =>
        (await BundleAsync(bundle)).Status?.Clusters?.Any(c => c.AppliedRevision == revision) == true;

    public async Task<DateTimeOffset?> LastSyncAsync(string bundle) => (await BundleAsync(bundle)).Status?.Clusters?.Min(c => c.LastSyncTime);

    /// <summary>Waits until every cluster of <paramref name="bundle"/> has synced at or after <paramref name="since"/> (lastSyncTime has whole seconds).</summary>
    public async Task WaitSyncedSinceAsync(string bundle, DateTimeOffset since)
    {
        var second = new DateTimeOffset(since.Ticks - since.Ticks % TimeSpan.TicksPerSecond, since.Offset);
        var deadline = Stopwatch.StartNew();
        while (!((await LastSyncAsync(bundle)) >= second))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"bundle {bundle} did not resync");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The hub's own time histograms Flotilla's end-to-end time is split by: the executor time of every (bundle, cluster)
    /// sync (<c>flotilla_sync_duration_seconds</c>) and the reconciles of the GitRepository (fetch and snapshot) and of
    /// the Bundle (render, placement, rollout) from <c>controller_runtime_reconcile_time_seconds</c>.
    /// </summary>
    public async Task<HubTimes> TimesAsync()
    {
        var lines = (await _http.GetStringAsync($"http://127.0.0.1:{port}/metrics")).Split('\n');
        HubTimes.Series Series(string name, string labels = "")
        {
            string? Value(string suffix) => lines.FirstOrDefault(l => l.StartsWith(name + suffix + labels + " ", StringComparison.Ordinal))?.Split(' ')[1];
            return new(double.Parse(Value("_sum") ?? "0", System.Globalization.CultureInfo.InvariantCulture), long.Parse(Value("_count") ?? "0"));
        }
        const string Reconcile = "controller_runtime_reconcile_time_seconds";
        return new(Series("flotilla_sync_duration_seconds"), Series(Reconcile, "{controller=\"gitrepository\"}"), Series(Reconcile, "{controller=\"bundle\"}"));
    }

    /// <summary>The hub's request limit per member (<c>flotilla_member_concurrency_limit</c>), lowest first.</summary>
    public async Task<IReadOnlyList<int>> ConcurrencyLimitsAsync() => [.. (await PerClusterAsync("flotilla_member_concurrency_limit")).Values.Order()];

    /// <summary>Kinds the hub's watch cache covers, per member (<c>flotilla_watched_kinds</c>).</summary>
    public Task<IReadOnlyDictionary<string, int>> WatchedKindsAsync() => PerClusterAsync("flotilla_watched_kinds");

    /// <summary>The hub's gauge <paramref name="name"/> by its <c>cluster</c> label.</summary>
    private async Task<IReadOnlyDictionary<string, int>> PerClusterAsync(string name)
    {
        var metrics = await _http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        return metrics.Split('\n').Where(l => l.StartsWith(name + "{cluster=\"", StringComparison.Ordinal))
            .ToDictionary(l => l[(l.IndexOf('"') + 1)..l.LastIndexOf('"')], l => int.Parse(l.Split(' ')[1]));
    }

    /// <summary>Waits until the watch cache covers at least <paramref name="kinds"/> kinds on each of <paramref name="members"/>.</summary>
    public async Task WaitWatchingAsync(IEnumerable<string> members, int kinds)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var watched = await WatchedKindsAsync();
            if (members.All(m => watched.GetValueOrDefault(m) >= kinds)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the hub's watch cache never covered {kinds} kinds on every member");
    }

    private async Task<BundleResource> BundleAsync(string name) =>
        KubeJson.As<BundleResource>(await hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, "default", "bundles", name));

    private Task Apply(string plural, JsonObject o) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(o.ToJsonString(), V1Patch.PatchType.ApplyPatch), FlotillaApi.Group, FlotillaApi.Version,
            "default", plural, o["metadata"]!["name"]!.GetValue<string>(), fieldManager: "bench", force: true);
}
