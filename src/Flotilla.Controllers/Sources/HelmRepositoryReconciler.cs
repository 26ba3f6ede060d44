using Flotilla.Controllers.Runtime;
using Flotilla.Git.Charts;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Sources;

/// <summary>
/// Reads a HelmRepository's index (key <c>namespace/name</c>) at its interval and records its digest. A failure keeps
/// the last good index and is shown in status (Ready=False with the failure kind, never a credential); retried with backoff.
/// </summary>
public sealed class HelmRepositoryReconciler(IKubernetes hub, HelmRepositoryClient client, HelmIndexes indexes, TimeProvider clock, HubMetrics metrics)
    : IReconciler<string>
{
    /// <summary>Read interval when the spec gives none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(10);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        var repository = await FlotillaObjects.FindAsync<HelmRepositoryResource>(hub, ns, HelmRepositoryResource.Plural, name, ct);
        if (repository is null)
        {
            indexes.Remove(key);
            return ReconcileResult.Success;
        }
        if (repository.Spec.Suspend == true) return ReconcileResult.Success;
        var now = clock.GetUtcNow();
        var status = repository.Status ?? new HelmRepositoryStatus();
        status.ObservedGeneration = repository.Metadata.Generation;
        ReconcileResult result;
        try
        {
            var interval = Durations.Parse(repository.Spec.Interval) ?? DefaultInterval;
            var url = new Uri(repository.Spec.Url);
            var credentials = await HelmRepositorySecrets.ReadAsync(hub, repository, ct);
            var (index, digest) = await client.FetchIndexAsync(url, credentials, ct);
            indexes.Set(key, new HelmIndex(url, credentials, index, digest));
            status.IndexDigest = digest;
            status.FetchedAt = now;
            status.LastError = null;
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "True", "Succeeded", $"index sha256:{digest[..12]}", now, repository.Metadata.Generation)];
            result = ReconcileResult.RequeueAfter(interval);
        }
        catch (HelmRepositoryException e)
        {
            status.LastError = e.Message;
            var kept = indexes.Get(key) is { } last ? $"; still serving index sha256:{last.Digest[..12]}" : "";
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "False", e.Kind.ToString(), e.Message + kept, now, repository.Metadata.Generation)];
            result = ReconcileResult.Failed($"{e.Kind}: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or InvalidOperationException)
        {
            status.LastError = e.Message;
            status.Conditions = [StatusConditions.Next(status.Conditions, "Ready", "False", "InvalidSpec", e.Message, now, repository.Metadata.Generation)];
            result = ReconcileResult.Stalled(e.Message);
        }
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status),
            FlotillaApi.Group, FlotillaApi.Version, ns, HelmRepositoryResource.Plural, name, cancellationToken: ct);
        metrics.StatusWritten();
        return result;
    }
}
