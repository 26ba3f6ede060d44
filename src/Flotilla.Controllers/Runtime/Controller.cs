using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Runs a bounded pool of workers that take keys from a <see cref="WorkQueue{TKey}"/> and reconcile them.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// <para>What each outcome does to the key:</para>
/// <list type="bullet">
/// <item><description><see cref="ReconcileOutcome.Success"/>: <see cref="WorkQueue{TKey}.Forget"/>.</description></item>
/// <item><description><see cref="ReconcileOutcome.RequeueAfter"/>: forget, then <see cref="WorkQueue{TKey}.AddAfter"/>.</description></item>
/// <item><description><see cref="ReconcileOutcome.Failed"/>, an exception, or the per-reconcile timeout:
/// <see cref="WorkQueue{TKey}.AddRateLimited"/>, logged.</description></item>
/// <item><description><see cref="ReconcileOutcome.Stalled"/>: forget, logged; no retry until the key is added again.</description></item>
/// </list>
/// <para>
/// At most <see cref="ControllerOptions.MaxConcurrency"/> reconciles run at once, and never two for one key
/// (the queue leases keys). Each reconcile gets a token cancelled after
/// <see cref="ControllerOptions.ReconcileTimeout"/> on the injected clock, or on shut-down.
/// </para>
/// <para>
/// The controller does not own the queue: event sources keep adding to it, and stopping the controller does not
/// shut it down, so it can run again (say, after leadership is regained). A reconcile interrupted by shut-down is
/// put back on the queue without counting as a failure.
/// </para>
/// </remarks>
public sealed class Controller<TKey>
    where TKey : notnull
{
    private readonly WorkQueue<TKey> queue;
    private readonly IReconciler<TKey> reconciler;
    private readonly ControllerOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ReconcileMetrics? metrics;
    private int running;

    /// <summary>Creates a controller; <paramref name="options"/> are validated here.</summary>
    /// <param name="name">Names the controller in logs, e.g. <c>bundle</c>.</param>
    /// <param name="queue">Where keys come from; shared with the event sources that add them.</param>
    /// <param name="reconciler">What to run per key.</param>
    /// <param name="options">Concurrency and timeout.</param>
    /// <param name="timeProvider">Clock for the per-reconcile timeout and durations.</param>
    /// <param name="logger">Where outcomes are logged.</param>
    /// <param name="metrics">Where each reconcile's result and duration are counted, if anywhere.</param>
    public Controller(
        string name,
        WorkQueue<TKey> queue,
        IReconciler<TKey> reconciler,
        ControllerOptions options,
        TimeProvider timeProvider,
        ILogger<Controller<TKey>> logger,
        ReconcileMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        Name = name;
        this.queue = queue;
        this.reconciler = reconciler;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics;
    }

    /// <summary>The name used in logs.</summary>
    public string Name { get; }

    /// <summary>
    /// Runs the workers until <paramref name="cancellationToken"/> is cancelled (or the queue is shut down), then
    /// waits for in-flight reconciles to return and completes normally.
    /// </summary>
    /// <exception cref="InvalidOperationException">The controller is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException($"Controller {Name} is already running.");
        }

        try
        {
            ControllersLog.ControllerStarted(logger, Name, options.MaxConcurrency);
            var workers = new Task[options.MaxConcurrency];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            ControllersLog.ControllerStopped(logger, Name);
            Volatile.Write(ref running, 0);
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (true)
        {
            WorkQueueLease<TKey>? lease;
            try
            {
                lease = await queue.TakeAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            if (lease is null)
            {
                return;
            }

            using (lease)
            {
                if (stopping.IsCancellationRequested)
                {
                    // Won the key in a race with shut-down: hand it back for the next run.
                    queue.Add(lease.Key);
                    return;
                }

                await ReconcileAsync(lease.Key, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task ReconcileAsync(TKey key, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(options.ReconcileTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        var started = timeProvider.GetTimestamp();
        try
        {
            var result = await reconciler.ReconcileAsync(key, linked.Token).ConfigureAwait(false);
            Apply(key, result, timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Interrupted by shut-down, not a failure: the key was not reconciled, so keep it for the next run.
            queue.Add(key);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            metrics?.Observe(Name, "error", timeProvider.GetElapsedTime(started));
            queue.AddRateLimited(key);
            ControllersLog.ReconcileTimedOut(logger, Name, key, options.ReconcileTimeout, queue.Failures(key));
        }
        catch (Exception exception)
        {
            // Any exception is a transient failure of this key; the worker must survive it.
            metrics?.Observe(Name, "error", timeProvider.GetElapsedTime(started));
            queue.AddRateLimited(key);
            ControllersLog.ReconcileThrew(logger, Name, key, queue.Failures(key), exception);
        }
    }

    private void Apply(TKey key, ReconcileResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(result);
        metrics?.Observe(Name, result.Outcome switch
        {
            ReconcileOutcome.Success => "success",
            ReconcileOutcome.RequeueAfter => "requeue_after",
            ReconcileOutcome.Failed or ReconcileOutcome.Stalled => "error",
        }, elapsed);
        Action<TKey, ReconcileResult, long> apply = result.Outcome switch
        {
            ReconcileOutcome.Success => Succeeded,
            ReconcileOutcome.RequeueAfter => Requeued,
            ReconcileOutcome.Failed => Failed,
            ReconcileOutcome.Stalled => Stalled,
        };
        apply(key, result, (long)elapsed.TotalMilliseconds);
    }

    private void Succeeded(TKey key, ReconcileResult result, long elapsedMs)
    {
        queue.Forget(key);
        ControllersLog.ReconcileSucceeded(logger, Name, key, elapsedMs);
    }

    private void Requeued(TKey key, ReconcileResult result, long elapsedMs)
    {
        queue.Forget(key);
        queue.AddAfter(key, result.Delay);
        ControllersLog.ReconcileRequeued(logger, Name, key, elapsedMs, result.Delay);
    }

    private void Failed(TKey key, ReconcileResult result, long elapsedMs)
    {
        queue.AddRateLimited(key);
        ControllersLog.ReconcileFailed(logger, Name, key, queue.Failures(key), result.Reason ?? "no reason given");
    }

    private void Stalled(TKey key, ReconcileResult result, long elapsedMs)
    {
        queue.Forget(key);
        ControllersLog.ReconcileStalled(logger, Name, key, result.Reason ?? "no reason given");
    }
}
