using System.Net;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kube.Simulation;

/// <summary>
/// Fakes the status that the deployment, statefulset, daemonset and job controllers (and the kubelets behind them)
/// would write, for ONE member of the local fleet, whose clusters have no nodes. Level-triggered: every
/// <see cref="WorkloadSimulatorOptions.PollInterval"/> it lists the three kinds in all namespaces and, for each
/// object whose status does not show its current generation and outcome (see <see cref="WorkloadStatusRules"/>),
/// merge-patches the status subresource once <see cref="WorkloadSimulatorOptions.ReadyDelay"/> has passed since it
/// first saw that generation and outcome. A correct status is never rewritten. A failed call (404/409: the object
/// went or changed meanwhile; anything else: logged) never stops the loop. Not for real clusters.
/// </summary>
public sealed class WorkloadStatusSimulator
{
    private readonly IKubernetes _client;
    private readonly WorkloadSimulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<(WorkloadKind Kind, string Uid), Pending> _pending = [];
    private readonly Dictionary<WorkloadKind, string> _listFailures = [];
    private long _writes;
    private long _passes;
    private int _running;

    /// <param name="client">The member's client, kept for the simulator's life.</param>
    /// <param name="clusterName">The member's name, used in log messages.</param>
    public WorkloadStatusSimulator(IKubernetes client, WorkloadSimulatorOptions options, TimeProvider clock, ILogger logger,
        string clusterName = "cluster")
    {
        options.Validate();
        _client = client;
        _options = options;
        _clock = clock;
        _logger = logger;
        ClusterName = clusterName;
    }

    /// <summary>The member's name, as given.</summary>
    public string ClusterName { get; }

    /// <summary>Status writes that the API server accepted since the simulator was created.</summary>
    public long StatusWrites => Interlocked.Read(ref _writes);

    /// <summary>Passes completed (each followed by a pause already scheduled on the clock).</summary>
    public long PassesCompleted => Interlocked.Read(ref _passes);

    /// <summary>
    /// Runs passes until <paramref name="ct"/> is cancelled (then throws <see cref="OperationCanceledException"/>).
    /// After passes in which no list call succeeded the pause doubles up to <see cref="WorkloadSimulatorOptions.MaxErrorBackoff"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException($"the workload simulator of {ClusterName} is already running");
        try
        {
            var failedPasses = 0;
            while (true)
            {
                failedPasses = await RunPassAsync(ct) ? 0 : failedPasses + 1;
                // The pause is put on the clock before the pass is counted, so a test that waits for the count and then
                // advances a fake clock always moves this pause.
                var pause = Task.Delay(Pause(failedPasses), _clock, ct);
                Interlocked.Increment(ref _passes);
                await pause;
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private TimeSpan Pause(int failedPasses)
    {
        if (failedPasses == 0) return _options.PollInterval;
        var doubled = _options.PollInterval.Ticks * Math.Pow(2, Math.Min(failedPasses, 30));
        return TimeSpan.FromTicks((long)Math.Min(doubled, _options.MaxErrorBackoff.Ticks));
    }

    /// <summary>One pass over every kind; false when no list call succeeded.</summary>
    private async Task<bool> RunPassAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var listed = false;
        foreach (var kind in Enum.GetValues<WorkloadKind>())
        {
            IReadOnlyList<WorkloadStatusPlan> plans;
            try
            {
                plans = await ListAsync(kind, now, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var reason = Describe($"listing {kind}s in all namespaces failed", e);
                if (!_listFailures.TryGetValue(kind, out var previous) || previous != reason)
                    WorkloadSimulatorLog.ListFailed(_logger, ClusterName, reason);
                _listFailures[kind] = reason;
                continue;
            }
            listed = true;
            if (_listFailures.Remove(kind)) WorkloadSimulatorLog.ListRecovered(_logger, ClusterName, kind);
            ForgetMissing(kind, plans);
            foreach (var plan in plans) await StepAsync(plan, now, ct);
        }
        return listed;
    }

    private async Task<IReadOnlyList<WorkloadStatusPlan>> ListAsync(WorkloadKind kind, DateTimeOffset now, CancellationToken ct) => kind switch
    {
        WorkloadKind.Deployment => ((await _client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct)).Items ?? [])
            .Select(d => WorkloadStatusRules.Plan(d, now)).ToList(),
        WorkloadKind.StatefulSet => ((await _client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: ct)).Items ?? [])
            .Select(WorkloadStatusRules.Plan).ToList(),
        WorkloadKind.DaemonSet => ((await _client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: ct)).Items ?? [])
            .Select(WorkloadStatusRules.Plan).ToList(),
        WorkloadKind.LoadBalancerService => ((await _client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct)).Items ?? [])
            .Where(s => s.Spec?.Type == "LoadBalancer").Select(s => LoadBalancerStatusRules.Plan(s, ClusterName)).ToList(),
        WorkloadKind.Job => ((await _client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: ct)).Items ?? [])
            .Select(j => JobStatusRules.Plan(j, now)).ToList(),
    };

    private void ForgetMissing(WorkloadKind kind, IReadOnlyList<WorkloadStatusPlan> plans)
    {
        var present = plans.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _pending.Keys.Where(k => k.Kind == kind && !present.Contains(k.Uid)).ToList()) _pending.Remove(key);
    }

    private async Task StepAsync(WorkloadStatusPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        var key = (plan.Kind, plan.Uid);
        if (plan.StatusPatch is null)
        {
            _pending.Remove(key);
            return;
        }
        if (!_pending.TryGetValue(key, out var pending) || pending.Generation != plan.Generation || pending.Outcome != plan.Outcome)
            _pending[key] = pending = new Pending(plan.Generation, plan.Outcome, now);
        if (now - pending.FirstSeen < _options.ReadyDelay) return;
        try
        {
            await PatchStatusAsync(plan, new V1Patch(plan.StatusPatch, V1Patch.PatchType.MergePatch), ct);
            Interlocked.Increment(ref _writes);
            _pending.Remove(key);
            WorkloadSimulatorLog.StatusWritten(_logger, ClusterName, plan, plan.Generation, plan.Outcome);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            WorkloadSimulatorLog.ChangedMeanwhile(_logger, ClusterName, plan, (int)e.Response.StatusCode);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            WorkloadSimulatorLog.WriteFailed(_logger, ClusterName, Describe($"{plan} status write failed", e));
        }
    }

    private async Task PatchStatusAsync(WorkloadStatusPlan plan, V1Patch patch, CancellationToken ct)
    {
        switch (plan.Kind)
        {
            case WorkloadKind.Deployment:
                await _client.AppsV1.PatchNamespacedDeploymentStatusAsync(patch, plan.Name, plan.Namespace, cancellationToken: ct);
                break;
            case WorkloadKind.StatefulSet:
                await _client.AppsV1.PatchNamespacedStatefulSetStatusAsync(patch, plan.Name, plan.Namespace, cancellationToken: ct);
                break;
            case WorkloadKind.DaemonSet:
                await _client.AppsV1.PatchNamespacedDaemonSetStatusAsync(patch, plan.Name, plan.Namespace, cancellationToken: ct);
                break;
            case WorkloadKind.LoadBalancerService:
                await _client.CoreV1.PatchNamespacedServiceStatusAsync(patch, plan.Name, plan.Namespace, cancellationToken: ct);
                break;
            case WorkloadKind.Job:
                await _client.BatchV1.PatchNamespacedJobStatusAsync(patch, plan.Name, plan.Namespace, cancellationToken: ct);
                break;
        }
    }

    private static string Describe(string subject, Exception e) => e switch
    {
        HttpOperationException h => new KubeApiException(subject, h.Response.StatusCode, h.Response.Content ?? "").Message,
        HttpRequestException h => $"{subject}: cannot reach the API server ({h.HttpRequestError})",
        OperationCanceledException => $"{subject}: no answer within the request timeout",
        _ => $"{subject}: {e.GetType().Name}: {e.Message}",
    };

    private sealed record Pending(long Generation, SimulatedOutcome Outcome, DateTimeOffset FirstSeen);
}
