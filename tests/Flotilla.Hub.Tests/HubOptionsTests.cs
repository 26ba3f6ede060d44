using Flotilla.Controllers;
using Flotilla.Core.Clusters;
using Flotilla.Hub;

namespace Flotilla.Hub.Tests;

public sealed class HubOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new HubOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(10), options.Health.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Health.UnreachableGrace);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Health.HeartbeatRecordInterval);
        Assert.False(options.AllowLocalSources);
        Assert.False(options.SimulateWorkloads);
    }

    [Fact]
    public void A_probe_timeout_longer_than_the_interval_is_refused_at_start_up()
    {
        var options = new HubOptions();
        options.Health.ProbeTimeout = TimeSpan.FromSeconds(30);
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void A_negative_heartbeat_record_interval_is_refused_at_start_up()
    {
        var options = new HubOptions();
        options.Health.HeartbeatRecordInterval = TimeSpan.FromSeconds(-1);
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void A_helm_or_kubectl_flag_naming_a_missing_file_is_refused_at_start_up()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"flotilla-no-such-dir-{Guid.NewGuid():N}", "helm");

        var helm = Assert.Throws<FileNotFoundException>(new HubOptions { HelmPath = missing }.Validate);
        var kubectl = Assert.Throws<FileNotFoundException>(new HubOptions { KubectlPath = missing }.Validate);

        Assert.StartsWith($"--helm {missing}: no such file", helm.Message);
        Assert.StartsWith($"--kubectl {missing}: no such file", kubectl.Message);
    }

    [Fact]
    public void Metrics_render_leader_writes_and_probe_outcomes()
    {
        var metrics = new HubMetrics { IsLeader = true, MemberWrites = () => 7 };
        metrics.StatusWritten();
        metrics.ProbeCompleted(ProbeOutcome.Unreachable);
        var text = metrics.Render();
        Assert.Contains("flotilla_leader 1\n", text);
        Assert.Contains("flotilla_status_writes_total 1\n", text);
        Assert.Contains("flotilla_member_writes_total 7\n", text);
        Assert.Contains("flotilla_cluster_probes_total{outcome=\"Unreachable\"} 1\n", text);
    }

    [Fact]
    public void Metrics_render_each_members_adaptive_request_limit()
    {
        var metrics = new HubMetrics { MemberConcurrencyLimits = () => new Dictionary<string, int> { ["member-2"] = 3, ["member-1"] = 9 } };
        Assert.Contains("flotilla_member_concurrency_limit{cluster=\"member-1\"} 9\nflotilla_member_concurrency_limit{cluster=\"member-2\"} 3\n", metrics.Render());
    }

    [Fact]
    public void Sync_durations_render_as_a_cumulative_histogram()
    {
        var metrics = new HubMetrics();
        metrics.Synced(TimeSpan.FromMilliseconds(200));
        metrics.Synced(TimeSpan.FromSeconds(3));
        var text = metrics.Render();
        Assert.Contains("flotilla_sync_duration_seconds_bucket{le=\"0.1\"} 0\n", text);
        Assert.Contains("flotilla_sync_duration_seconds_bucket{le=\"0.25\"} 1\n", text);
        Assert.Contains("flotilla_sync_duration_seconds_bucket{le=\"5\"} 2\n", text);
        Assert.Contains("flotilla_sync_duration_seconds_bucket{le=\"+Inf\"} 2\n", text);
        Assert.Contains("flotilla_sync_duration_seconds_sum 3.2\n", text);
        Assert.Contains("flotilla_sync_duration_seconds_count 2\n", text);
    }
}
