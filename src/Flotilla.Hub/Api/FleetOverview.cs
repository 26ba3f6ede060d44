using System.Text.Json.Serialization;
using k8s.Models;

namespace Flotilla.Hub.Api;

/// <summary>The overview: clusters by status, bundles by readiness, rollouts in progress, recent warnings.</summary>
public sealed record FleetOverview(
    [property: JsonPropertyName("clusters")] IReadOnlyDictionary<string, int> Clusters,
    [property: JsonPropertyName("bundles")] IReadOnlyDictionary<string, int> Bundles,
    [property: JsonPropertyName("rollouts")] IReadOnlyList<RolloutRow> Rollouts,
    [property: JsonPropertyName("warnings")] IReadOnlyList<Corev1Event> Warnings)
{
    /// <summary>Phases of a run that is over; any other phase is a rollout in progress.</summary>
    private static readonly HashSet<string> Finished = ["Completed", "RolledBack"];

    public static FleetOverview From(FleetView view) => new(
        Count(view.Clusters.Select(ClusterRows.Status)),
        Count(view.Bundles.Select(b => b.Ready ? "Ready" : "NotReady")),
        [.. view.Bundles.Where(b => b.Resource.Status?.Rollout?.Phase is { } p && !Finished.Contains(p))
            .OrderBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => new RolloutRow(b.Namespace, b.Name, b.Resource.Status!.Rollout!.Phase!, b.Resource.Status.Rollout.Message))],
        [.. view.Events.Where(e => e.Type == "Warning").Take(10)]);

    private static SortedDictionary<string, int> Count(IEnumerable<string> values)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts;
    }
}

public sealed record RolloutRow(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("message")] string? Message);
