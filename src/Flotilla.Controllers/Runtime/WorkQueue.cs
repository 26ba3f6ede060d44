namespace Flotilla.Controllers.Runtime;

/// <summary>
/// A queue of keys to reconcile, modelled on client-go's rate-limited delaying work queue.
/// </summary>
/// <typeparam name="TKey">The key type; compared with <see cref="EqualityComparer{T}.Default"/>.</typeparam>
/// <remarks>
/// <para>Guarantees (all members are thread-safe):</para>
/// <list type="bullet">
/// <item><description><b>De-duplication.</b> A key added any number of times while it waits is handed out once.</description></item>
/// <item><description><b>One holder per key.</b> A key is never leased to two takers at once. A key added while
/// leased is not handed out again until the lease is released, and then exactly once.</description></item>
/// <item><description><b>Fair order.</b> Ready keys are handed out first in, first out; waiting takers are served
/// in the order they arrived.</description></item>
/// <item><description><b>Delays on the injected clock.</b> <see cref="AddAfter"/> and <see cref="AddRateLimited"/>
/// use timers from the <see cref="TimeProvider"/>, so a fake clock drives them. A delayed key becomes ready no
/// earlier than its delay (timers have millisecond resolution; delays round up to the next millisecond and
/// are capped at about 49 days, the longest a timer accepts).</description></item>
/// <item><description><b>Earliest wins.</b> If a key is already waiting on a delay, a second
/// <see cref="AddAfter"/> only moves it earlier, never later. As in client-go, an immediate <see cref="Add"/>
/// does not cancel a pending delayed add; level-triggered reconcilers tolerate the extra pass.</description></item>
/// <item><description><b>Shut-down.</b> <see cref="ShutDown"/> wakes every waiting taker with <see langword="null"/>;
/// afterwards adds are ignored, pending delays are dropped and <see cref="TakeAsync"/> returns
/// <see langword="null"/> at once. Keys still queued are not drained: a restarted controller re-lists them.</description></item>
/// </list>
/// </remarks>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly ExponentialBackoff backoff;

    private readonly Queue<TKey> ready = new();
    // Keys that must be handed out again: every key in `ready`, plus leased keys added while leased.
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> leased = [];
    private readonly LinkedList<Waiter> waiters = new();
    private readonly Dictionary<TKey, DelayedAdd> delayed = [];
    private readonly Dictionary<TKey, int> failures = [];
    private bool shutDown;
    private long adds;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="timeProvider">Clock and timers for delayed adds.</param>
    /// <param name="backoff">Retry delays for <see cref="AddRateLimited"/>; validated here.</param>
    public WorkQueue(TimeProvider timeProvider, ExponentialBackoff backoff)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(backoff);
        backoff.Validate();
        this.timeProvider = timeProvider;
        this.backoff = backoff;
    }

    /// <summary>Keys ready to be taken now (not counting leased or delayed keys).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return ready.Count;
            }
        }
    }

    /// <summary>Keys made ready so far, not counting an add of a key that was already waiting (client-go's <c>workqueue_adds_total</c>).</summary>
    public long Adds => Interlocked.Read(ref adds);

    /// <summary>Whether <see cref="ShutDown"/> has been called.</summary>
    public bool IsShutDown
    {
        get
        {
            lock (gate)
            {
                return shutDown;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="key"/> ready now. Does nothing if it is already ready or after shut-down;
    /// if it is leased, it is queued again when the lease is released.
    /// </summary>
    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>
    /// Makes <paramref name="key"/> ready after <paramref name="delay"/>, or at once if the delay is not
    /// positive. If the key already waits on an earlier delay, that one stands.
    /// </summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            AddAfterLocked(key, delay);
        }
    }

    /// <summary>
    /// Counts one more consecutive failure of <paramref name="key"/> and adds it after the backoff delay
    /// for that many failures (<see cref="ExponentialBackoff.Delay"/>).
    /// </summary>
    public void AddRateLimited(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            var count = failures.GetValueOrDefault(key) + 1;
            failures[key] = count;
            AddAfterLocked(key, backoff.Delay(count));
        }
    }

    /// <summary>
    /// Resets the failure count of <paramref name="key"/>, so its next <see cref="AddRateLimited"/> waits the
    /// base delay. Does not cancel a pending delayed add.
    /// </summary>
    public void Forget(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>Whether <paramref name="key"/> is ready or leased now (a key only waiting on a delay is not).</summary>
    public bool IsActive(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            return dirty.Contains(key) || leased.Contains(key);
        }
    }

    /// <summary>Consecutive failures counted for <paramref name="key"/> since it was last forgotten.</summary>
    public int Failures(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Leases the next ready key, waiting until one is ready.
    /// </summary>
    /// <returns>
    /// The lease, to be released with <see cref="WorkQueueLease{TKey}.Done"/>; or <see langword="null"/> once
    /// the queue is shut down.
    /// </returns>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled while waiting; no key is lost.
    /// </exception>
    public ValueTask<WorkQueueLease<TKey>?> TakeAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<WorkQueueLease<TKey>?>(cancellationToken);
        }

        Waiter waiter;
        lock (gate)
        {
            if (shutDown)
            {
                return ValueTask.FromResult<WorkQueueLease<TKey>?>(null);
            }

            if (ready.TryDequeue(out var key))
            {
                return ValueTask.FromResult<WorkQueueLease<TKey>?>(LeaseLocked(key));
            }

            waiter = new Waiter(this, cancellationToken);
            waiter.Node = waiters.AddLast(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>
    /// Stops the queue: wakes all waiting takers with <see langword="null"/>, drops pending delays and
    /// ignores later adds. Outstanding leases stay valid and may still be released. Idempotent.
    /// </summary>
    public void ShutDown()
    {
        List<Waiter> woken;
        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            shutDown = true;
            foreach (var entry in delayed.Values)
            {
                entry.Timer?.Dispose();
            }

            delayed.Clear();
            woken = [.. waiters];
            waiters.Clear();
        }

        foreach (var waiter in woken)
        {
            waiter.TrySetResult(null);
        }
    }

    /// <summary>Same as <see cref="ShutDown"/>.</summary>
    public void Dispose() => ShutDown();

    /// <summary>
    /// Raised after a lease was given back (outside the queue's lock): whoever waits for a key to be idle learns it
    /// the moment it is, instead of polling <see cref="IsActive"/>.
    /// </summary>
    public event Action<TKey>? Released;

    internal void Release(TKey key)
    {
        lock (gate)
        {
            leased.Remove(key);
            if (dirty.Contains(key) && !shutDown)
            {
                EnqueueLocked(key);
            }
        }

        Released?.Invoke(key);
    }

    private static async ValueTask<WorkQueueLease<TKey>?> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        // The registration is disposed before returning, so a late cancellation cannot touch a served waiter.
        using (cancellationToken.UnsafeRegister(static state => ((Waiter)state!).Cancel(), waiter))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void AddLocked(TKey key)
    {
        if (shutDown || !dirty.Add(key))
        {
            return;
        }

        Interlocked.Increment(ref adds);

        if (!leased.Contains(key))
        {
            EnqueueLocked(key);
        }
    }

    // Precondition: key is dirty and not leased.
    private void EnqueueLocked(TKey key)
    {
        if (waiters.First is { } first)
        {
            waiters.RemoveFirst();
            // Completion runs continuations asynchronously, so no taker code runs under the lock.
            first.Value.TrySetResult(LeaseLocked(key));
            return;
        }

        ready.Enqueue(key);
    }

    private WorkQueueLease<TKey> LeaseLocked(TKey key)
    {
        dirty.Remove(key);
        leased.Add(key);
        return new WorkQueueLease<TKey>(this, key);
    }

    private void AddAfterLocked(TKey key, TimeSpan delay)
    {
        if (shutDown)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            AddLocked(key);
            return;
        }

        // Round up so a timer never fires before the delay has passed.
        var wholeMilliseconds = delay >= MaxTimerDelay
            ? MaxTimerDelay
            : TimeSpan.FromMilliseconds(Math.Ceiling(delay.Ticks / (double)TimeSpan.TicksPerMillisecond));
        var dueAt = timeProvider.GetTimestamp() + ToTimestampTicks(wholeMilliseconds);
        if (delayed.TryGetValue(key, out var existing))
        {
            if (existing.DueAt <= dueAt)
            {
                return;
            }

            existing.Timer?.Dispose();
        }

        var entry = new DelayedAdd(this, key, dueAt);
        delayed[key] = entry;
        // A due time of at least 1 ms means no timer implementation invokes the callback inside CreateTimer.
        entry.Timer = timeProvider.CreateTimer(
            static state => ((DelayedAdd)state!).Elapsed(), entry, wholeMilliseconds, Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampTicks(TimeSpan duration) =>
        (long)((Int128)duration.Ticks * timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond);

    private void OnDelayElapsed(DelayedAdd entry)
    {
        lock (gate)
        {
            // A superseded or dropped entry may still fire; only the current one counts.
            if (!delayed.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            delayed.Remove(entry.Key);
            entry.Timer?.Dispose();
            AddLocked(entry.Key);
        }
    }

    private void CancelWaiter(Waiter waiter)
    {
        lock (gate)
        {
            // A waiter no longer in the list was already served (or woken by shut-down); its result stands.
            if (waiter.Node?.List is null)
            {
                return;
            }

            waiters.Remove(waiter.Node);
        }

        waiter.TrySetCanceled(waiter.CancellationToken);
    }

    private sealed class Waiter(WorkQueue<TKey> owner, CancellationToken cancellationToken)
        : TaskCompletionSource<WorkQueueLease<TKey>?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public void Cancel() => owner.CancelWaiter(this);
    }

    private sealed class DelayedAdd(WorkQueue<TKey> owner, TKey key, long dueAt)
    {
        public TKey Key { get; } = key;

        public long DueAt { get; } = dueAt;

        public ITimer? Timer { get; set; }

        public void Elapsed() => owner.OnDelayElapsed(this);
    }
}
