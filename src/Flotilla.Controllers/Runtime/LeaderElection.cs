using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Runs work only while this process holds a coordination.k8s.io/v1 Lease in the hub, so that of several hub
/// replicas exactly one reconciles. A thin wrapper over KubernetesClient's <see cref="LeaderElector"/> and
/// <see cref="LeaseLock"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each time this process becomes leader, <c>whileLeader</c> starts with a token that is cancelled as soon as
/// leadership is lost (renewal failed for <see cref="LeaderElectionOptions.RenewDeadline"/>) or the run is
/// cancelled. A new term does not start until the previous <c>whileLeader</c> has returned, so two terms' work
/// never overlaps in one process. After losing leadership the process campaigns again.
/// </para>
/// <para>
/// When a term ends by this process's choice (the run is cancelled, or the work returned) and the work has
/// returned, the Lease is released as client-go's <c>ReleaseOnCancel</c> does: holder cleared, duration 1 s, so a
/// successor takes over at once. The release gets at most <see cref="LeaderElectionOptions.RetryPeriod"/>; if the
/// hub does not answer in time, a successor takes over when the Lease expires. Leadership lost to a failed renewal
/// is never "released" (someone else may hold it). The library keeps its own wall-clock timing; the back-off after
/// a failed campaign and the release deadline use the injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed class LeaderElection
{
    private readonly IKubernetes client;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string leaseName;
    private readonly string leaseNamespace;
    private readonly TimeSpan leaseDuration;
    private readonly TimeSpan renewDeadline;
    private readonly TimeSpan retryPeriod;
    private volatile bool isLeader;
    private int running;

    /// <summary>Creates an election; <paramref name="options"/> are validated and copied here. No I/O happens yet.</summary>
    /// <param name="client">Client of the hub API server, which holds the Lease.</param>
    /// <param name="options">Lease name, namespace, identity and timing.</param>
    /// <param name="timeProvider">Clock for the back-off after a failed campaign.</param>
    /// <param name="logger">Where leadership changes and failures are logged.</param>
    public LeaderElection(
        IKubernetes client,
        LeaderElectionOptions options,
        TimeProvider timeProvider,
        ILogger<LeaderElection> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        this.client = client;
        this.timeProvider = timeProvider;
        this.logger = logger;
        leaseName = options.LeaseName;
        leaseNamespace = options.LeaseNamespace;
        Identity = options.Identity;
        leaseDuration = options.LeaseDuration;
        renewDeadline = options.RenewDeadline;
        retryPeriod = options.RetryPeriod;
    }

    /// <summary>This candidate's identity, as written to the Lease's <c>holderIdentity</c>.</summary>
    public string Identity { get; }

    /// <summary>The Lease as <c>namespace/name</c>.</summary>
    public string Lease => $"{leaseNamespace}/{leaseName}";

    /// <summary>Whether this process holds the Lease now (true from becoming leader until the term ends).</summary>
    public bool IsLeader => isLeader;

    /// <summary>
    /// Campaigns for the Lease and runs <paramref name="whileLeader"/> during each term of leadership, until
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="whileLeader">
    /// The leader's work. Its token is cancelled when the term ends; it should then return (or throw
    /// <see cref="OperationCanceledException"/>) promptly.
    /// </param>
    /// <param name="cancellationToken">Stops campaigning and ends any term.</param>
    /// <returns>
    /// A task that completes normally when <paramref name="cancellationToken"/> is cancelled, or when
    /// <paramref name="whileLeader"/> returns on its own while still leader (leadership is then given up and the Lease
    /// released). If <paramref name="whileLeader"/> throws anything but a cancellation
    /// caused by the end of its term, the task faults with that exception.
    /// </returns>
    /// <exception cref="InvalidOperationException">The election is already running.</exception>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeader);
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException($"Leader election on lease {Lease} is already running.");
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (end, campaignError) = await RunTermAsync(whileLeader, cancellationToken).ConfigureAwait(false);
                switch (end)
                {
                    case TermEnd.WorkReturned:
                        return;
                    case TermEnd.LeadershipLost:
                        continue;
                    case TermEnd.NeverLed:
                        // Start the back-off timer before logging, so whoever reads the log sees the retry scheduled.
                        var retry = Task.Delay(retryPeriod, timeProvider, cancellationToken);
                        if (campaignError is not null)
                        {
                            ControllersLog.LeaderElectionFailed(logger, Lease, retryPeriod, campaignError);
                        }

                        try
                        {
                            await retry.ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            return;
                        }

                        continue;
                }
            }
        }
        finally
        {
            isLeader = false;
            Volatile.Write(ref running, 0);
        }
    }

    private async Task<(TermEnd End, Exception? CampaignError)> RunTermAsync(Func<CancellationToken, Task> whileLeader, CancellationToken stopping)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var started = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new LeaderElectionConfig(new LeaseLock(client, leaseNamespace, leaseName, Identity))
        {
            LeaseDuration = leaseDuration,
            RenewDeadline = renewDeadline,
            RetryPeriod = retryPeriod,
        };
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () =>
        {
            isLeader = true;
            ControllersLog.StartedLeading(logger, Lease, Identity);
            // Run the work off the elector's thread so that renewals keep going while it runs.
            started.TrySetResult(Task.Run(() => whileLeader(term.Token), CancellationToken.None));
        };
        elector.OnStoppedLeading += () =>
        {
            isLeader = false;
            if (term.IsCancellationRequested)
            {
                ControllersLog.SteppedDown(logger, Lease, Identity);
            }
            else
            {
                ControllersLog.StoppedLeading(logger, Lease, Identity);
            }
        };
        elector.OnNewLeader += leader => ControllersLog.NewLeader(logger, Lease, leader);
        elector.OnError += exception => ControllersLog.LeaderElectionError(logger, Lease, exception);

        var election = elector.RunUntilLeadershipLostAsync(term.Token);
        var workReturnedFirst = false;
        if (await Task.WhenAny(election, started.Task).ConfigureAwait(false) == started.Task)
        {
            var work = await started.Task.ConfigureAwait(false);
            workReturnedFirst = await Task.WhenAny(election, work).ConfigureAwait(false) == work;
        }

        // End the term: stop renewing if the work returned, stop the work if leadership ended.
        await term.CancelAsync().ConfigureAwait(false);
        Exception? campaignError = null;
        try
        {
            await election.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // The term was ended on purpose.
        }
        catch (Exception exception)
        {
            // The library lets API errors escape while campaigning (for example, the hub is unreachable).
            campaignError = exception;
        }

        isLeader = false;

        // OnStartedLeading runs inside the election task, so once it has ended the work has started or never will.
        if (!started.Task.IsCompleted)
        {
            return (TermEnd.NeverLed, campaignError);
        }

        var leaderWork = await started.Task.ConfigureAwait(false);
        try
        {
            await leaderWork.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested && !workReturnedFirst)
        {
            // The work stopped because its term ended, as asked.
        }
        finally
        {
            // Stepping down by choice, with the work finished: let a successor in now rather than after the Lease expires.
            if (stopping.IsCancellationRequested || workReturnedFirst)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }

        return workReturnedFirst && !stopping.IsCancellationRequested ? (TermEnd.WorkReturned, null)
            : campaignError is not null ? (TermEnd.NeverLed, campaignError)
            : (TermEnd.LeadershipLost, null);
    }

    private async Task ReleaseAsync()
    {
        using var deadline = new CancellationTokenSource(retryPeriod, timeProvider);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, leaseNamespace, cancellationToken: deadline.Token)
                .ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            // Empty, not absent: the client library's elector treats a Lease without a holder as one to create (409 forever).
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = timeProvider.GetUtcNow().UtcDateTime;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, leaseNamespace, cancellationToken: deadline.Token)
                .ConfigureAwait(false);
            ControllersLog.LeaseReleased(logger, Lease, Identity);
        }
        catch (Exception exception) when (exception is HttpRequestException or HttpOperationException or OperationCanceledException)
        {
            ControllersLog.LeaseReleaseFailed(logger, Lease,
                exception is OperationCanceledException ? $"no answer within {retryPeriod.TotalSeconds:0.#}s" : exception.Message);
        }
    }

    private enum TermEnd
    {
        NeverLed,
        LeadershipLost,
        WorkReturned,
    }
}
