using System.Text;
using Flotilla.Controllers.Runtime;

namespace Flotilla.Controllers.Tests.Runtime;

public class ReconcileMetricsTests
{
    [Fact]
    public void Counts_by_controller_and_result_and_renders_a_cumulative_histogram()
    {
        var metrics = new ReconcileMetrics();
        metrics.Observe("bundle", "success", TimeSpan.FromMilliseconds(20));
        metrics.Observe("bundle", "success", TimeSpan.FromSeconds(3));
        metrics.Observe("bundle", "error", TimeSpan.FromMilliseconds(1));
        var text = new StringBuilder();
        metrics.Render(text);
        var lines = text.ToString().Split('\n');
        Assert.Contains("controller_runtime_reconcile_total{controller=\"bundle\",result=\"success\"} 2", lines);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"bundle\",result=\"error\"} 1", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"bundle\",le=\"0.005\"} 1", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"bundle\",le=\"0.025\"} 2", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"bundle\",le=\"5\"} 3", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"bundle\",le=\"+Inf\"} 3", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_count{controller=\"bundle\"} 3", lines);
        Assert.Contains("controller_runtime_reconcile_time_seconds_sum{controller=\"bundle\"} 3.021", lines);
    }
}
