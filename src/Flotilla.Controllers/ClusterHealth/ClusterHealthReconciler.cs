using Flotilla.Controllers.Runtime;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Health;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.ClusterHealth;

/// <summary>
/// Probes one member (key: the Cluster's name) and records Available / version / nodes / heartbeat in its
/// status with one patch. Each member has its own probe deadline, so a dead one never delays the others.
/// </summary>
public sealed class ClusterHealthReconciler(IKubernetes hub, MemberClients clients, ClusterHealthOptions options,
    TimeProvider clock, HubMetrics metrics) : IReconciler<string>
{
    private readonly ClusterRegistry _registry = new(hub);

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        var cluster = await _registry.GetAsync(name, ct);
        if (cluster is null)
        {
            clients.Forget(name);
            return ReconcileResult.Success;
        }
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
        var registered = cluster.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(created, TimeSpan.Zero) : now;
        var health = ClusterHealthEvaluator.Evaluate(ToDomain(cluster.Status), probe, registered, now, grace);
        await WriteStatusAsync(cluster, health, ct);
        metrics.ProbeCompleted(probe.Outcome);
        return ReconcileResult.RequeueAfter(interval);
    }

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
        await hub.CustomObjects.PatchClusterCustomObjectStatusAsync(StatusPatch.Replace(status),
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
