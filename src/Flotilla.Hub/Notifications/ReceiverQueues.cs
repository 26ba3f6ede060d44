using System.Threading.Channels;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// One ordered queue per receiver, each drained by its own worker, so a receiver that is down (a delivery can take
/// a minute of retries and timeouts) delays only its own deliveries, never another receiver's or the notices behind
/// it. A queue holds at most <paramref name="capacity"/> items; when a dead receiver lets it fill, the oldest item is
/// dropped and reported to <paramref name="dropped"/>. A failed delivery is <paramref name="deliver"/>'s to report:
/// an exception it throws is passed to <paramref name="failed"/> and the worker goes on with the next item. Cancelling
/// <paramref name="stop"/> ends every worker, the delivery in progress included, and drops what is waiting.
/// </summary>
public sealed class ReceiverQueues<T>(
    Func<string, T, CancellationToken, Task> deliver, int capacity, Action<string, T> dropped, Action<string, T, Exception> failed,
    CancellationToken stop)
{
    private readonly Dictionary<string, Channel<T>> _queues = new(StringComparer.Ordinal);
    private readonly List<Task> _workers = [];

    /// <summary>Queues <paramref name="item"/> for <paramref name="receiver"/>, starting its worker on first use; never waits.</summary>
    public void Enqueue(string receiver, T item)
    {
        lock (_queues)
        {
            if (!_queues.TryGetValue(receiver, out var queue))
            {
                queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
                }, lost => dropped(receiver, lost));
                _queues[receiver] = queue;
                _workers.RemoveAll(w => w.IsCompleted);
                _workers.Add(Task.Run(() => DrainAsync(receiver, queue.Reader), CancellationToken.None));
            }
            queue.Writer.TryWrite(item);
        }
    }

    /// <summary>Ends the queues of receivers not in <paramref name="current"/> once they have delivered what they hold.</summary>
    public void Retain(IReadOnlySet<string> current)
    {
        lock (_queues)
        {
            foreach (var gone in _queues.Keys.Where(k => !current.Contains(k)).ToList())
            {
                _queues[gone].Writer.TryComplete();
                _queues.Remove(gone);
            }
        }
    }

    /// <summary>Stops taking items and waits until every worker has delivered what it holds (or <c>stop</c> ends it).</summary>
    public async Task CompleteAsync()
    {
        Task[] workers;
        lock (_queues)
        {
            foreach (var queue in _queues.Values) queue.Writer.TryComplete();
            _queues.Clear();
            workers = [.. _workers];
        }
        await Task.WhenAll(workers);
    }

    private async Task DrainAsync(string receiver, ChannelReader<T> reader)
    {
        try
        {
            await foreach (var item in reader.ReadAllAsync(stop))
            {
                try { await deliver(receiver, item, stop); }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested) { failed(receiver, item, e); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }
}
