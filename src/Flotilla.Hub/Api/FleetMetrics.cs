using System.Text;
using Flotilla.Core.Rollout;

namespace Flotilla.Hub.Api;

/// <summary>
/// The fleet's gauges at <c>/metrics</c>, from the <see cref="FleetView"/>: <c>flotilla_cluster_available{cluster}</c>,
/// <c>flotilla_bundle_ready{bundle}</c> (bundle = namespace/name) and <c>flotilla_rollout_phase{bundle,phase}</c>
/// (1 for the run's current phase), and the stages of each run from its recorded state: <c>flotilla_rollout_stage{bundle}</c>
/// (the current stage, 1-based; the stage count plus one once the run is through) and
/// <c>flotilla_rollout_stage_clusters{bundle,stage,state}</c> (state total, done or failed). Cardinality: one series per
/// Cluster, one per Bundle, per Bundle with a rollout one plus three per stage — bounded by the hub's object counts and
/// the stages users write, never clusters × bundles. A value is escaped as the text format asks.
/// </summary>
public static class FleetMetrics
{
    public static void Render(FleetView view, StringBuilder text)
    {
        text.Append("# HELP flotilla_cluster_available 1 when the member's Available condition is True.\n# TYPE flotilla_cluster_available gauge\n");
        foreach (var c in view.Clusters.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal))
            text.Append($"flotilla_cluster_available{{cluster=\"{Escape(c.Metadata.Name)}\"}} {(MatrixBuilder.IsAvailable(c) ? 1 : 0)}\n");
        var bundles = view.Bundles.OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        text.Append("# HELP flotilla_bundle_ready 1 when the Bundle's Ready condition is True.\n# TYPE flotilla_bundle_ready gauge\n");
        foreach (var b in bundles) text.Append($"flotilla_bundle_ready{{bundle=\"{Escape(b.Key)}\"}} {(b.Ready ? 1 : 0)}\n");
        text.Append("# HELP flotilla_rollout_phase 1 for the phase a Bundle's rollout is in.\n# TYPE flotilla_rollout_phase gauge\n");
        foreach (var b in bundles)
            if (b.Resource.Status?.Rollout?.Phase is { } phase)
                text.Append($"flotilla_rollout_phase{{bundle=\"{Escape(b.Key)}\",phase=\"{Escape(phase)}\"}} 1\n");
        var runs = bundles.Select(b => (b.Key, State: RolloutState.TryParse(b.Resource.Status?.Rollout?.State))).Where(r => r.State is { Stages.Length: > 0 }).ToList();
        text.Append("# HELP flotilla_rollout_stage The stage a Bundle's rollout is in, 1-based (the stage count plus one once through).\n# TYPE flotilla_rollout_stage gauge\n");
        foreach (var (key, state) in runs) text.Append($"flotilla_rollout_stage{{bundle=\"{Escape(key)}\"}} {state!.Stage + 1}\n");
        text.Append("# HELP flotilla_rollout_stage_clusters Clusters of each stage of a Bundle's rollout: total, done (healthy on the run's revision) and failed.\n# TYPE flotilla_rollout_stage_clusters gauge\n");
        foreach (var (key, state) in runs)
            foreach (var stage in state!.Stages)
                foreach (var (what, count) in new[] { ("total", stage.Clusters), ("done", stage.Done), ("failed", stage.Failed) })
                    text.Append($"flotilla_rollout_stage_clusters{{bundle=\"{Escape(key)}\",stage=\"{Escape(stage.Name)}\",state=\"{what}\"}} {count}\n");
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
