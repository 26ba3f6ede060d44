using Flotilla.Core.Health;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Builds a Bundle's status in one piece (one patch per reconcile): per-cluster compact entries, a summary,
/// and the conditions Ready / Reconciling / Stalled. Strings are capped so status stays small at 1,000 clusters.
/// </summary>
public sealed class BundleStatusBuilder(BundleResource bundle, DateTimeOffset now)
{
    private const int MaxError = 512;
    private const int MaxDrift = 256;

    /// <summary>Clusters whose error and drift text is kept; beyond that only phase and health (status stays under 256 KiB at 1,000 clusters).</summary>
    public const int MaxDetailedClusters = 20;

    public BundleClusterStatus? Previous(string cluster) => bundle.Status?.Clusters?.FirstOrDefault(c => c.Name == cluster);

    public BundleStatus Waiting(string message) => Build(bundle.Status?.DesiredRevision, null, bundle.Status?.Clusters ?? [],
        ready: ("False", "SourceNotReady", message), reconciling: ("True", "SourceNotReady", message), stalled: null);

    public BundleStatus RenderFailed(string revision, IReadOnlyList<string> errors)
    {
        var message = Cap(string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : ""), 2048);
        return Build(revision, message, bundle.Status?.Clusters ?? [],
            ready: ("False", "RenderFailed", $"revision {Short(revision)} does not render; clusters keep what they have"),
            reconciling: ("False", "RenderFailed", message), stalled: ("True", "RenderFailed", message));
    }

    public BundleStatus Synced(string revision, IReadOnlyDictionary<string, SyncResult> results)
    {
        var detailed = 0;
        var clusters = results.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new BundleClusterStatus
        {
            Name = r.Key,
            Phase = r.Value.Phase.ToString(),
            AppliedRevision = r.Value.AppliedRevision,
            Health = r.Value.Phase == SyncPhase.Synced || r.Value.Phase == SyncPhase.OutOfSync ? r.Value.Health.ToString() : HealthStatus.Unknown.ToString(),
            Objects = r.Value.Objects,
            Written = r.Value.Written == 0 ? null : r.Value.Written,
            Pruned = r.Value.Pruned == 0 ? null : r.Value.Pruned,
            Error = r.Value.Error is { } e && detailed++ < MaxDetailedClusters ? Cap(e, MaxError) : null,
            Drift = r.Value.Drift.Count > 0 && detailed++ < MaxDetailedClusters ? DriftText(r.Value.Drift) : null,
            LastSyncTime = now,
        }).ToList();
        var notReady = clusters.Where(c => c.Phase != nameof(SyncPhase.Synced) || c.Health != nameof(HealthStatus.Healthy) || c.AppliedRevision != revision).ToList();
        var failed = clusters.Where(c => c.Phase is nameof(SyncPhase.Failed) or nameof(SyncPhase.Unreachable)).ToList();
        var ready = notReady.Count == 0
            ? ("True", "Synced", $"{Clusters(clusters.Count)} synced and healthy at {Short(revision)}")
            : ("False", failed.Count > 0 ? "ClustersFailing" : "Progressing",
                Cap($"{notReady.Count} of {Clusters(clusters.Count)} not ready: " + string.Join(", ", notReady.Take(5).Select(c => $"{c.Name} {c.Phase}/{c.Health}")), MaxError));
        var reconciling = notReady.Count == 0 ? ("False", "Synced", "") : ("True", "Progressing", ready.Item3);
        return Build(revision, null, clusters, ready, reconciling, stalled: null);
    }

    private static string Clusters(int count) => count == 1 ? "1 cluster" : $"{count} clusters";

    private BundleStatus Build(string? revision, string? renderError, List<BundleClusterStatus> clusters,
        (string Status, string Reason, string Message) ready, (string Status, string Reason, string Message) reconciling,
        (string Status, string Reason, string Message)? stalled)
    {
        var stall = stalled ?? ("False", "None", "");
        return new BundleStatus
        {
            ObservedGeneration = bundle.Metadata.Generation,
            DesiredRevision = revision,
            RenderError = renderError,
            Clusters = clusters,
            Summary = new BundleSummary
            {
                Placed = clusters.Count,
                Synced = clusters.Count(c => c.Phase == nameof(SyncPhase.Synced) && c.AppliedRevision == revision),
                Healthy = clusters.Count(c => c.Health == nameof(HealthStatus.Healthy)),
                Failed = clusters.Count(c => c.Phase is nameof(SyncPhase.Failed) or nameof(SyncPhase.Unreachable)),
            },
            Conditions = [Condition("Ready", ready), Condition("Reconciling", reconciling), Condition("Stalled", stall)],
        };
    }

    private StatusCondition Condition(string type, (string Status, string Reason, string Message) c) =>
        StatusConditions.Next(bundle.Status?.Conditions, type, c.Status, c.Reason, c.Message, now, bundle.Metadata.Generation);

    private static string? DriftText(IReadOnlyList<DriftRecord> drift) => drift.Count == 0 ? null : Cap(string.Join("; ",
        drift.Take(3).Select(d => $"{d.Object} {d.Field} changed by {d.Manager ?? "unknown"}{(d.Fight ? " (fight: no longer corrected)" : d.Corrected ? " (corrected)" : "")}"))
        + (drift.Count > 3 ? $" (and {drift.Count - 3} more)" : ""), MaxDrift);

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Short(string revision) => revision.Length > 12 ? revision[..12] : revision;
}
