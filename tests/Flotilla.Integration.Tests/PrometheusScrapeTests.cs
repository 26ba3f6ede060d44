using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Debian's <c>prometheus</c> scrapes the real hub's <c>/metrics</c> (its parser is the strict check of the text format:
/// a malformed line fails the scrape, <c>up</c> 0) and PromQL finds the fleet's and controller-runtime's series.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PrometheusScrapeTests(FleetFixture fleet)
{
    private const string Prometheus = "/usr/bin/prometheus";

    [Fact]
    public async Task Prometheus_scrapes_the_hub_and_promql_returns_the_fleet_and_controller_series()
    {
        Assert.True(File.Exists(Prometheus), $"{Prometheus} is missing: run scripts/install-deps.sh");
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
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
