using System.Net;
using Flotilla.Controllers.Runtime;
using k8s;
using k8s.Autorest;

namespace Flotilla.Hub;

/// <summary>
/// The answer of <c>/readyz</c>: ready while a read of the leader Lease succeeds (the hub API server answers, accepts
/// this process's credentials and lets it read the Lease), whether or not this process leads; the text says which.
/// One read serves the probes of <see cref="CacheFor"/>, so a tight probe period costs the API server little.
/// </summary>
public sealed class HubReadiness(IKubernetes hub, LeaderElectionOptions lease, Func<bool> isLeader, TimeProvider clock)
{
    /// <summary>How long one answer is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (bool Ready, string Text, DateTimeOffset At)? _last;

    public async Task<(bool Ready, string Text)> CheckAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < CacheFor) return (last.Ready, last.Text);
            var (ready, text) = await ReadLeaseAsync(ct);
            _last = (ready, text, clock.GetUtcNow());
            return (ready, text);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(bool Ready, string Text)> ReadLeaseAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ReadTimeout);
        string? holder;
        try
        {
            var current = await hub.CoordinationV1.ReadNamespacedLeaseAsync(lease.LeaseName, lease.LeaseNamespace, cancellationToken: deadline.Token);
            holder = current.Spec?.HolderIdentity;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            holder = null; // nobody has campaigned yet; the API server answered, so the connection works
        }
        catch (HttpOperationException e)
        {
            return (false, $"not ready: reading Lease {lease.LeaseNamespace}/{lease.LeaseName} failed with HTTP {(int)e.Response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return (false, $"not ready: the hub API server did not answer ({e.GetType().Name})");
        }
        if (isLeader()) return (true, "ok: leader");
        return (true, string.IsNullOrEmpty(holder) ? "ok: not leader (no leader yet)" : $"ok: not leader (leader is {holder})");
    }
}
