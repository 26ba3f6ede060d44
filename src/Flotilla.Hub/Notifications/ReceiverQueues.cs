using System.Threading.Channels;

namespace Flotilla.Hub.Notifications;

/// <summary>Why a queued item was never delivered.</summary>
public enum DropReason
{
    /// <summary>Its receiver's queue was full: the oldest waiting item makes room for the newest.</summary>
    QueueFull,

    /// <summary>The receiver is gone (<see cref="ReceiverQueues{T}.Retain"/>).</summary>
    ReceiverGone,

    /// <summary>The queues were stopped (the notifier ended).</summary>
    Stopped,
}

/// <summary>
/// One ordered queue per receiver, each drained by its own worker, so a receiver that is down (a delivery can take
/// a minute of retries and timeouts) delays only its own deliveries, never another receiver's or the notices behind
/// it. A queue holds at most <paramref name="capacity"/> items. Every item is either delivered, reported to
/// <paramref name="failed"/> (an exception <paramref name="deliver"/> threw; the worker goes on with the next item) or
/// reported to <paramref name="dropped"/> with the reason: the queue was full (the oldest goes), the receiver is gone,
/// or <paramref name="stop"/> was cancelled (the delivery in progress included). A report that throws changes nothing.
/// </summary>
public sealed class ReceiverQueues<T>(
    Func<string, T, CancellationToken, Task> deliver, int capacity, Action<string, T, DropReason> dropped, Action<string, T, Exception> failed,
    CancellationToken stop)
{
    private sealed record Queue(Channel<T> Items, CancellationTokenSource Gone, Task Worker);

    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    // Workers of receivers that went: one that comes back waits for its old worker, so its items stay in order.
    private readonly Dictionary<string, Task> _retired = new(StringComparer.Ordinal);

    /// <summary>Queues <paramref name="item"/> for <paramref name="receiver"/>, starting its worker on first use; never waits.</summary>
    public void Enqueue(string receiver, T item)
    {
        lock (_queues)
        {
            if (!_queues.TryGetValue(receiver, out var queue))
            {
                var items = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
                }, lost => Report(() => dropped(receiver, lost, DropReason.QueueFull)));
                // Not linked to stop here: the worker links the two for its own life, so a receiver that went leaves no
                // registration on stop behind.
                var gone = new CancellationTokenSource();
                var previous = _retired.Remove(receiver, out var old) ? old : Task.CompletedTask;
                var worker = Task.Run(() => DrainAsync(receiver, items.Reader, previous, gone.Token), CancellationToken.None);
                _queues[receiver] = queue = new Queue(items, gone, worker);
            }
            queue.Items.Writer.TryWrite(item);
        }
    }

    /// <summary>Ends the queues of receivers not in <paramref name="current"/>: what they hold is dropped as <see cref="DropReason.ReceiverGone"/>.</summary>
    public void Retain(IReadOnlySet<string> current)
    {
        lock (_queues)
        {
            foreach (var (receiver, queue) in _queues.Where(q => !current.Contains(q.Key)).ToList())
            {
                queue.Items.Writer.TryComplete();
                queue.Gone.Cancel();
                _queues.Remove(receiver);
                _retired[receiver] = queue.Worker;
            }
            foreach (var done in _retired.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) _retired.Remove(done);
        }
    }

    /// <summary>Takes no more items and waits until every worker has ended: delivered what it holds, or dropped it once <c>stop</c> is cancelled.</summary>
    public async Task CompleteAsync()
    {
        Task[] workers;
        lock (_queues)
        {
            foreach (var queue in _queues.Values) queue.Items.Writer.TryComplete();
            workers = [.. _queues.Values.Select(q => q.Worker), .. _retired.Values];
        }
        await Task.WhenAll(workers);
    }

    private async Task DrainAsync(string receiver, ChannelReader<T> reader, Task previous, CancellationToken gone)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop, gone);
        var ct = ended.Token;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                // Checked before each item: a delivery that finished after its receiver went must not be followed by another.
                while (!ct.IsCancellationRequested && reader.TryRead(out var item))
                {
                    try { await deliver(receiver, item, ct); }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        Report(() => dropped(receiver, item, Reason()));
                        throw;
                    }
                    catch (Exception e) { Report(() => failed(receiver, item, e)); }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            while (reader.TryRead(out var left)) Report(() => dropped(receiver, left, Reason()));
        }

        DropReason Reason() => stop.IsCancellationRequested ? DropReason.Stopped : DropReason.ReceiverGone;
    }

    /// <summary>
    /// Runs a report (the caller's logging). One that throws is ignored: there is nowhere left to report it, and letting
    /// it through would end a receiver's worker (every later item of that receiver lost) or, from a full queue, throw
    /// out of <see cref="Enqueue"/> into the caller's loop.
    /// </summary>
    private static void Report(Action report)
    {
        try { report(); }
        catch (Exception) { }
    }
}
