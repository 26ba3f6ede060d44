using Flotilla.Controllers.Runtime;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Controllers.Sources;

/// <summary>
/// Fetches a GitRepository (key <c>namespace/name</c>) and records the revision. A failure keeps the last good
/// revision and is shown in status (Ready=False with the failure kind); it is retried with backoff. A commit is
/// recorded once it is fetched, checked and listed; if writing the rest of its snapshot then fails (a full disk), the
/// revision stays and the snapshot is written again by the retry, while what reads the directory waits.
/// </summary>
public sealed class GitRepositoryReconciler(IKubernetes hub, HubSecrets secrets, ObjectDiscovery repositories, IGitFetcher fetcher, SourceArtifacts artifacts, TimeProvider clock, HubMetrics metrics)
    : IReconciler<string>
{
    /// <summary>Fetch interval when the spec gives none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        var repository = await repositories.GetAsync<GitRepositoryResource>(key, ct);
        if (repository is null)
        {
            artifacts.Remove(key);
            return ReconcileResult.Success;
        }
        if (repository.Spec.Suspend == true) return ReconcileResult.Success;
        var interval = Durations.Parse(repository.Spec.Interval) ?? DefaultInterval;
        var now = clock.GetUtcNow();
        var status = repository.Status ?? new GitRepositoryStatus();
        status.ObservedGeneration = repository.Metadata.Generation;
        status.LastAttemptAt = now;
        ReconcileResult result;
        try
        {
            var spec = await GitSourceSpecs.FromAsync(secrets, repository, ct);
            // Bundles are told of the commit once it is listed: plain manifests render from the listing while the rest of
            // the snapshot is linked, which this reconcile waits for (a failed export is a failed fetch, retried).
            var fetched = await fetcher.FetchListedAsync(spec, ct);
            var artifact = new SourceArtifact(fetched.CommitSha, fetched.SnapshotDirectory, fetched.FetchedAt, fetched.FileIds) { Exported = fetched.Exported };
            artifacts.Set(key, artifact with { Listing = fetched.Listing });
            await fetched.Exported;
            // The kept bytes served the renders that could not wait; later ones read the snapshot.
            artifacts.Set(key, artifact);
            status.Revision = fetched.CommitSha;
            status.FetchedAt = fetched.FetchedAt;
            status.LastError = null;
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "True", "Succeeded", $"fetched {Short(fetched.CommitSha)}", now, repository.Metadata.Generation)];
            result = ReconcileResult.RequeueAfter(interval);
        }
        catch (GitFetchException e)
        {
            status.LastError = e.Message;
            var kept = artifacts.Get(key) is { } last ? $"; still serving {Short(last.Revision)}" : "";
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "False", e.Kind.ToString(), e.Message + kept, now, repository.Metadata.Generation)];
            result = ReconcileResult.Failed($"{e.Kind}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            status.LastError = e.Message;
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "False", "InvalidSpec", e.Message, now, repository.Metadata.Generation)];
            result = ReconcileResult.Stalled(e.Message);
        }
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, ns, GitRepositoryResource.Plural, name, cancellationToken: ct);
        metrics.StatusWritten();
        return result;
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
