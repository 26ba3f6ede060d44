using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Manifests;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Reconciles a Bundle (key <c>namespace/name</c>) without touching any member: validates the spec, renders the
/// source's revision (cached), places it, and publishes the <see cref="BundleTarget"/> the per-cluster workers
/// sync to. Only the (bundle, cluster) pairs the change affects are queued: a new revision or spec queues the
/// bundle's clusters, a relabel queues only the clusters that joined or left. Keeps the finalizer until every
/// member is cleaned (or removed from the registry). A render error or a failed source changes nothing anywhere.
/// </summary>
public sealed class BundleReconciler(IKubernetes hub, SourceArtifacts artifacts, RenderCache renders, ClusterDirectory directory,
    BundleTargets targets, SyncResults results, WorkQueue<string> pairs, Action<string> statusChanged, ClusterSyncOptions options) : IReconciler<string>
{
    public const string Finalizer = FlotillaApi.CleanupFinalizer;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        var bundle = await FlotillaObjects.FindAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle is null)
        {
            targets.Remove(key);
            results.Forget(key);
            return ReconcileResult.Success;
        }
        await directory.Ready.WaitAsync(ct);
        var previous = targets.Get(key);
        var known = Known(bundle, previous);

        if (bundle.Metadata.DeletionTimestamp is not null)
        {
            if (bundle.Metadata.Finalizers?.Contains(Finalizer) != true) return ReconcileResult.Success;
            var pending = known.Where(c => !results.IsRemoved(key, c) && directory.Get(c) is not null).ToList();
            if (pending.Count == 0)
            {
                await FinalizersPatch.RemoveAsync(hub, bundle, Finalizer, ct);
                targets.Remove(key);
                results.Forget(key);
                return ReconcileResult.Success;
            }
            Publish(previous, Base(bundle, previous) with { Clusters = pending.ToDictionary(c => c, _ => ClusterIntent.Remove, StringComparer.Ordinal) });
            return ReconcileResult.Success;
        }
        if (bundle.Metadata.Finalizers?.Contains(Finalizer) != true) await FinalizersPatch.AddAsync(hub, bundle, Finalizer, ct);
        if (bundle.Spec.Suspend == true) return ReconcileResult.Success;

        if (BundleSpecProblem.Of(bundle) is { } invalid)
        {
            Publish(previous, Base(bundle, previous) with { Problem = invalid });
            return ReconcileResult.Stalled(invalid.Message);
        }
        var target = Base(bundle, previous);
        var artifact = artifacts.Get(ObjectKey.Of(ns, bundle.Spec.SourceRef.Name));
        if (artifact is null)
        {
            Publish(previous, target with { Problem = new("SourceNotReady", $"waiting for GitRepository {bundle.Spec.SourceRef.Name} to be fetched", Stalled: false) });
            return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(10));
        }
        var rendered = await renders.RenderAsync(artifact, bundle.Spec.Path, ct);
        if (rendered.Manifests is null)
        {
            var errors = rendered.Errors.Select(e => e.ToString()).ToList();
            var message = string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : "");
            // Clusters keep what they have: the previous target (revision and intents) stays, only the problem is shown.
            Publish(previous, target with { Problem = new("RenderFailed", $"revision {artifact.Revision[..Math.Min(12, artifact.Revision.Length)]} does not render; clusters keep what they have: {message}", Stalled: true) });
            return ReconcileResult.Stalled($"render of {artifact.Revision} failed");
        }

        var selector = PlacementSelector.From(bundle.Spec.Placement?.ClusterSelector);
        var placed = directory.Placeable.Where(c => selector.Matches(c.Metadata.LabelMap())).Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var clusters = placed.ToDictionary(c => c, _ => ClusterIntent.Sync, StringComparer.Ordinal);
        foreach (var left in known.Where(c => !placed.Contains(c) && !results.IsRemoved(key, c) && directory.Get(c) is not null)) clusters[left] = ClusterIntent.Remove;
        Publish(previous, target with { Revision = artifact.Revision, Manifests = rendered.Manifests, Clusters = clusters, Problem = null });
        return ReconcileResult.Success;
    }

    /// <summary>Stores the target, queues the pairs it changes (their backoff starts over) and asks for a status write.</summary>
    private void Publish(BundleTarget? previous, BundleTarget target)
    {
        targets.Set(target);
        foreach (var cluster in target.Clusters.Keys)
        {
            if (!target.ChangedFor(previous, cluster) || target.Problem is not null) continue;
            var pair = ClusterSyncKey.Of(target.BundleKey, cluster);
            pairs.Forget(pair);
            pairs.Add(pair);
        }
        statusChanged(target.BundleKey);
    }

    /// <summary>The target with this generation's policy, keeping the previous revision, objects and intents.</summary>
    private BundleTarget Base(BundleResource bundle, BundleTarget? previous) => new(
        ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name),
        bundle.Metadata.Generation ?? 0,
        previous?.Revision,
        previous?.Manifests ?? ManifestSet.Empty,
        BundlePolicy.Of(bundle),
        previous?.Clusters ?? new Dictionary<string, ClusterIntent>(StringComparer.Ordinal),
        OrphanOnRemove: bundle.Spec.DeletionPolicy == "Orphan",
        Interval: SafeDuration(bundle.Spec.Sync?.Interval) ?? options.DefaultInterval,
        Timeout: SafeDuration(bundle.Spec.Sync?.Timeout) ?? options.DefaultTimeout)
    {
        Uid = bundle.Metadata.Uid,
        ReconcileRequestedAt = bundle.Metadata.Annotations is { } annotations && annotations.TryGetValue(ObjectDiscovery.ReconcileRequestAnnotation, out var requested) ? requested : null,
    };

    private static TimeSpan? SafeDuration(string? text)
    {
        try { return Durations.Parse(text); }
        catch (ArgumentException) { return null; } // reported as InvalidSpec by BundleSpecProblem
    }

    /// <summary>Clusters that may hold the bundle's objects: in its status, its last results or its last target.</summary>
    private HashSet<string> Known(BundleResource bundle, BundleTarget? previous)
    {
        var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in bundle.Status?.Clusters ?? []) known.Add(c.Name);
        foreach (var c in results.Of(key).Keys) known.Add(c);
        foreach (var c in previous?.Clusters.Keys ?? []) known.Add(c);
        return known;
    }
}
