using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.LocalFleet;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Debian's <c>prometheus</c> scrapes the real hub's <c>/metrics</c> (its parser is the strict check of the text format:
/// a malformed line fails the scrape, <c>up</c> 0) and PromQL finds the fleet's and controller-runtime's series.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PrometheusScrapeTests(FleetFixture fleet)
{
    private const string Prometheus = "/usr/bin/prometheus";
    private const string Ns = "prom-scrape";

    [Fact]
    public async Task Prometheus_scrapes_the_hub_and_promql_returns_the_fleet_and_controller_series()
    {
        Assert.True(File.Exists(Prometheus), $"{Prometheus} is missing: run scripts/install-deps.sh");
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var revision = repo.Commit(AppFiles(Ns, "v1"));
        await hub.SourceAsync("repo", repo.Url);
        await ApplyAppBundleAsync(hub, "app", StagedWithApproval());
        await WaitPhaseAsync(hub, "app", revision, "AwaitingApproval", TimeSpan.FromSeconds(90), "rollout waits for approval before prod");
        var dir = Directory.CreateDirectory(Path.Combine(fleet.Directory, "prometheus")).FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: flotilla-hub
                static_configs:
                  - targets: ["127.0.0.1:{fleet.HubPort}"]
            """);
        var port = FreePorts.Take(1)[0];
        using var prometheus = Process.Start(new ProcessStartInfo(Prometheus)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            async Task<JsonArray> QueryAsync(string promql)
            {
                try
                {
                    var body = JsonNode.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)))!;
                    return body["data"]?["result"]?.AsArray() ?? [];
                }
                catch (HttpRequestException) { return []; }
            }
            Task<string> Describe() { lock (log) return Task.FromResult(log.ToString()[^Math.Min(log.Length, 2000)..]); }

            await Eventually.WaitAsync(async () => (await QueryAsync("up{job=\"flotilla-hub\"} == 1")).Count == 1, TimeSpan.FromSeconds(60),
                "prometheus scrapes the hub successfully", Describe);
            await Eventually.WaitAsync(async () => (await QueryAsync("sum(flotilla_cluster_available{cluster=~\"member-.*\"})")) is [{ } r] && r["value"]![1]!.GetValue<string>() == "3",
                TimeSpan.FromSeconds(60), "three members available", Describe);
            await Eventually.WaitAsync(async () => (await QueryAsync("sum(controller_runtime_reconcile_total{controller=\"cluster-health\"}) > 0")).Count == 1,
                TimeSpan.FromSeconds(30), "cluster-health reconciles counted", Describe);
            var results = (await QueryAsync("controller_runtime_reconcile_total")).Select(r => r!["metric"]!["result"]!.GetValue<string>()).Distinct().ToList();
            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.Contains(r, new[] { "success", "error", "requeue_after" }));
            Assert.NotEmpty(await QueryAsync("workqueue_depth{name=\"bundle\"}"));
            Assert.NotEmpty(await QueryAsync("flotilla_member_requests_total{cluster=\"member-1\",verb=\"get\",code=\"200\"} > 0"));
            Assert.NotEmpty(await QueryAsync("workqueue_adds_total{name=\"cluster-health\"} > 0"));
            // The bundle's series: held at prod's gate, dev and staging done, prod not started (stage 3 of 3).
            var bundle = $"bundle=\"{Ns}/app\"";
            async Task<string?> ValueAsync(string promql) => (await QueryAsync(promql)) is [{ } r] ? r["value"]![1]!.GetValue<string>() : null;
            await Eventually.WaitAsync(async () => await ValueAsync($"flotilla_rollout_phase{{{bundle},phase=\"AwaitingApproval\"}}") == "1",
                TimeSpan.FromSeconds(30), "the rollout's phase scraped", Describe);
            Assert.Equal("0", await ValueAsync($"flotilla_bundle_ready{{{bundle}}}"));
            Assert.Equal("3", await ValueAsync($"flotilla_rollout_stage{{{bundle}}}"));
            Assert.Equal("2", await ValueAsync($"sum(flotilla_rollout_stage_clusters{{{bundle},state=\"done\"}})"));
            Assert.Equal("0", await ValueAsync($"flotilla_rollout_stage_clusters{{{bundle},stage=\"prod\",state=\"done\"}}"));
            Assert.Equal("3", await ValueAsync($"sum(flotilla_rollout_stage_clusters{{{bundle},state=\"total\"}})"));
            // rate() needs two samples of the series in its window: right after the first scrapes there may be one.
            await Eventually.WaitAsync(async () => (await QueryAsync("histogram_quantile(0.95, sum by (le) (rate(controller_runtime_reconcile_time_seconds_bucket{controller=\"cluster-health\"}[1m])))")).Count == 1,
                TimeSpan.FromSeconds(30), "a reconcile-time quantile", Describe);
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
        }
    }
}
