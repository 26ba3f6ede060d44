using System.Collections.Concurrent;
using Flotilla.Controllers.Runtime;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Health;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.ClusterHealth;

/// <summary>
/// Probes one member (key: the Cluster's name) and records Available / version / nodes / heartbeat in its status
/// with one patch when they changed, the heartbeat alone every <see cref="ClusterHealthOptions.HeartbeatRecordInterval"/>
/// (<see cref="ClusterHealthEvaluator.MustRecord"/>): a healthy member's probe reads its Cluster from the watch that
/// queues it (<paramref name="watched"/>, updated before the key is queued, so a spec change is seen by the probe it
/// causes) and writes nothing. Each member has its own probe deadline, so a dead one never delays the others.
/// </summary>
public sealed class ClusterHealthReconciler(IKubernetes hub, MemberClients clients, ClusterHealthOptions options,
    TimeProvider clock, HubMetrics metrics, Func<string, CancellationToken, Task<ClusterResource?>> watched) : IReconciler<string>
{
    // A status write refused for a change since its read is read and made again this many times in all (the
    // cleanup writes a Cluster's status once per state, so a second refusal in a row is unlikely).
    private const int MaxWriteAttempts = 3;

    private readonly ClusterRegistry _registry = new(hub);

    // Per member: since when this process has probed it, and the last heartbeat it gave (newer than the recorded one
    // between records): the grace rule counts silence from these.
    private readonly ConcurrentDictionary<string, (DateTimeOffset ProbingSince, DateTimeOffset? Heartbeat)> _seen = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        if (await watched(name, ct) is not { } cluster) return Gone(name);
        var interval = Seconds(cluster.Spec.HealthCheck?.IntervalSeconds) ?? options.Interval;
        var grace = Seconds(cluster.Spec.HealthCheck?.UnreachableGraceSeconds) ?? options.UnreachableGrace;
        ProbeResult probe;
        try
        {
            var member = await clients.GetAsync(cluster, ct);
            probe = await ClusterProber.ProbeAsync(member, options.ProbeTimeout, ct);
        }
        catch (InvalidCredentialsException e)
        {
            probe = new ProbeResult(ProbeOutcome.InvalidCredentials, null, null, e.Message);
        }
        var now = clock.GetUtcNow();
        var seen = _seen.GetOrAdd(name, (now, null));
        MemberHealth HealthOf(ClusterResource c)
        {
            var recorded = ToDomain(c.Status);
            var registered = c.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(created, TimeSpan.Zero) : now;
            var previous = recorded with { LastHeartbeat = Latest(recorded.LastHeartbeat, seen.Heartbeat) };
            var watchedSince = ClusterHealthEvaluator.WatchedSince(seen.ProbingSince, recorded.LastHeartbeat, options.HeartbeatRecordInterval + interval);
            return ClusterHealthEvaluator.Evaluate(previous, probe, registered, now, grace, watchedSince);
        }
        bool Due(ClusterResource c, MemberHealth next) => c.Status?.ObservedGeneration != c.Metadata.Generation
            || ClusterHealthEvaluator.MustRecord(ToDomain(c.Status), next, options.HeartbeatRecordInterval);
        var health = HealthOf(cluster);
        if (probe.Outcome == ProbeOutcome.Ready) _seen[name] = seen with { Heartbeat = now };
        if (Due(cluster, health) && !await RecordAsync()) return Gone(name);
        metrics.ProbeCompleted(probe.Outcome);
        return ReconcileResult.RequeueAfter(interval);

        // Written over the Cluster as the hub API server has it now (not the watch's copy), so another controller's
        // condition is kept, and not at all if the server already has it; the write is refused if the Cluster changed
        // after that read (the cleanup's Removing condition written in between), and then read and made again.
        // False when the Cluster is gone.
        async Task<bool> RecordAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await _registry.GetAsync(name, ct) is not { } current) return false;
                var fresh = HealthOf(current);
                if (!Due(current, fresh)) return true;
                try
                {
                    await WriteStatusAsync(current, fresh, ct);
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < MaxWriteAttempts) { }
            }
        }
    }

    /// <summary>The Cluster was deleted: nothing of it is kept.</summary>
    private ReconcileResult Gone(string name)
    {
        clients.Forget(name);
        _seen.TryRemove(name, out _);
        return ReconcileResult.Success;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private async Task WriteStatusAsync(ClusterResource cluster, MemberHealth health, CancellationToken ct)
    {
        var status = new ClusterStatus
        {
            ObservedGeneration = cluster.Metadata.Generation,
            KubernetesVersion = health.Version,
            NodeCount = health.NodeCount,
            LastHeartbeatTime = health.LastHeartbeat,
            LastProbeError = health.LastProbeError,
            // Other controllers' conditions (Removing, while a cleanup waits) are kept as read.
            Conditions = [.. health.Available is { } a ? [ToWire(a, cluster.Metadata.Generation)] : Array.Empty<StatusCondition>(),
                .. cluster.Status?.Conditions?.Where(c => c.Type != ClusterHealthEvaluator.AvailableType) ?? []],
        };
        await hub.CustomObjects.PatchClusterCustomObjectStatusAsync(StatusPatch.Replace(status, cluster.Metadata.ResourceVersion),
            FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, cluster.Metadata.Name, cancellationToken: ct);
        metrics.StatusWritten();
    }

    private static MemberHealth ToDomain(ClusterStatus? status)
    {
        var available = status?.Conditions?.FirstOrDefault(c => c.Type == ClusterHealthEvaluator.AvailableType);
        return new MemberHealth(
            available is null ? null : new Condition(available.Type,
                Enum.TryParse<ConditionStatus>(available.Status, out var s) ? s : ConditionStatus.Unknown,
                available.Reason ?? "", available.Message ?? "", available.LastTransitionTime ?? DateTimeOffset.MinValue),
            status?.LastHeartbeatTime, status?.KubernetesVersion, status?.NodeCount, status?.LastProbeError);
    }

    private static StatusCondition ToWire(Condition c, long? generation) => new()
    {
        Type = c.Type,
        Status = c.Status.ToString(),
        Reason = c.Reason,
        Message = c.Message,
        LastTransitionTime = c.LastTransitionTime,
        ObservedGeneration = generation,
    };

    private static TimeSpan? Seconds(int? value) => value is { } v ? TimeSpan.FromSeconds(v) : null;
}
