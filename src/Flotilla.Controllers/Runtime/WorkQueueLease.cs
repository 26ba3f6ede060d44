namespace Flotilla.Controllers.Runtime;

/// <summary>
/// A key handed out by <see cref="WorkQueue{TKey}.TakeAsync"/>. While the lease is held no other taker
/// receives the same key; <see cref="Done"/> (or <see cref="Dispose"/>) gives it back.
/// </summary>
/// <typeparam name="TKey">The key type of the queue.</typeparam>
/// <remarks>
/// <see cref="Done"/> is idempotent, so <c>using var lease = …</c> together with an explicit
/// <see cref="Done"/> is safe. A lease that is never released blocks its key forever.
/// </remarks>
public sealed class WorkQueueLease<TKey> : IDisposable
    where TKey : notnull
{
    private readonly WorkQueue<TKey> queue;
    private int released;

    internal WorkQueueLease(WorkQueue<TKey> queue, TKey key)
    {
        this.queue = queue;
        Key = key;
    }

    /// <summary>The key to process.</summary>
    public TKey Key { get; }

    /// <summary>
    /// Marks processing of <see cref="Key"/> finished. If the key was added again while leased, it goes
    /// back on the queue now, once. Calls after the first do nothing.
    /// </summary>
    public void Done()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            queue.Release(Key);
        }
    }

    /// <summary>Same as <see cref="Done"/>.</summary>
    public void Dispose() => Done();
}
