using Flotilla.Controllers;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Sources;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub;

/// <summary>
/// Deletes Git snapshots nobody needs: kept are every source's current revision and every revision a bundle
/// wants or a cluster still runs, and what a rollout still needs: the last fully healthy revision (where a rollback
/// goes) and each cluster's desired revision (an older one a run keeps it on). Runs on an interval, and with it the git
/// caches' housekeeping, which fetches leave out (<see cref="GitFetcher.MaintainAsync"/>).
/// </summary>
public sealed partial class SnapshotCollector(IKubernetes hub, SourceArtifacts artifacts, SnapshotStore store, GitFetcher fetcher, TimeSpan interval,
    ILogger<SnapshotCollector> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                var keep = new HashSet<string>(artifacts.Revisions, StringComparer.Ordinal);
                foreach (var bundle in await HubLists.BundlesAsync(hub, ct))
                {
                    if (bundle.Status?.DesiredRevision is { } desired) keep.Add(desired);
                    if (bundle.Status?.Rollout is { } rollout)
                        foreach (var revision in new[] { rollout.TargetRevision, rollout.LastHealthyRevision }) if (revision is not null) keep.Add(revision);
                    foreach (var cluster in bundle.Status?.Clusters ?? [])
                    {
                        if (cluster.AppliedRevision is { } applied) keep.Add(applied);
                        if (cluster.DesiredRevision is { } wanted) keep.Add(wanted);
                    }
                }
                var collected = store.Collect(keep, ct);
                if (collected.DeletedCommits.Length > 0) Collected(logger, collected.DeletedCommits.Length, collected.BytesFreed);
                foreach (var failure in await fetcher.MaintainAsync(ct)) MaintenanceFailed(logger, failure.Message);
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                CollectFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "collected {Count} unused snapshots ({Bytes} bytes)")]
    private static partial void Collected(ILogger logger, int count, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "git cache housekeeping failed: {Reason}")]
    private static partial void MaintenanceFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "snapshot collection skipped: {Reason}")]
    private static partial void CollectFailed(ILogger logger, string reason);
}
