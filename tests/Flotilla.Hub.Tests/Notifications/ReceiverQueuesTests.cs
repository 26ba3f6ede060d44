using System.Collections.Concurrent;
using Flotilla.Hub.Notifications;

namespace Flotilla.Hub.Tests.Notifications;

public sealed class ReceiverQueuesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Records what each receiver got, in order; a receiver in <see cref="Hung"/> waits on its gate first.</summary>
    private sealed class Receivers
    {
        public ConcurrentDictionary<string, ConcurrentQueue<int>> Got { get; } = new();
        public ConcurrentDictionary<string, TaskCompletionSource> Hung { get; } = new();
        public ConcurrentQueue<(string, int)> Dropped { get; } = new();
        public ConcurrentQueue<(string, int, string)> Failed { get; } = new();
        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running, _mostAtOnce;
        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public ReceiverQueues<int> Queues(int capacity = 100, CancellationToken stop = default) =>
            new(DeliverAsync, capacity, (r, i) => Dropped.Enqueue((r, i)), (r, i, e) => Failed.Enqueue((r, i, e.Message)), stop);

        private async Task DeliverAsync(string receiver, int item, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _running);
            if (now > Volatile.Read(ref _mostAtOnce)) Volatile.Write(ref _mostAtOnce, now);
            try
            {
                FirstStarted.TrySetResult();
                if (item < 0) throw new InvalidOperationException($"receiver {receiver} refused {item}");
                if (Hung.TryGetValue(receiver, out var gate)) await gate.Task.WaitAsync(ct);
                await Task.Yield();
                Got.GetOrAdd(receiver, _ => new()).Enqueue(item);
            }
            finally { Interlocked.Decrement(ref _running); }
        }

        public int[] Of(string receiver) => Got.TryGetValue(receiver, out var q) ? [.. q] : [];
    }

    private static async Task UntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_receiver_that_hangs_delays_neither_another_receiver_nor_the_items_behind_it()
    {
        var receivers = new Receivers();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receivers.Hung["dead"] = gate;
        var queues = receivers.Queues();
        for (var i = 1; i <= 3; i++)
        {
            queues.Enqueue("dead", i);
            queues.Enqueue("live", i);
        }
        await UntilAsync(() => receivers.Of("live").Length == 3, "the live receiver got its three items");
        Assert.Equal([1, 2, 3], receivers.Of("live"));
        Assert.Empty(receivers.Of("dead"));

        gate.SetResult();
        await queues.CompleteAsync();
        Assert.Equal([1, 2, 3], receivers.Of("dead"));
    }

    [Fact]
    public async Task One_receiver_gets_its_items_in_order_one_at_a_time()
    {
        var receivers = new Receivers();
        var queues = receivers.Queues();
        for (var i = 1; i <= 50; i++) queues.Enqueue("only", i);
        await queues.CompleteAsync();
        Assert.Equal(Enumerable.Range(1, 50), receivers.Of("only"));
        Assert.Equal(1, receivers.MostAtOnce);
    }

    [Fact]
    public async Task A_full_queue_drops_its_oldest_item_and_reports_it()
    {
        var receivers = new Receivers();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receivers.Hung["dead"] = gate;
        var queues = receivers.Queues(capacity: 3);
        queues.Enqueue("dead", 1);
        await receivers.FirstStarted.Task.WaitAsync(Deadline);
        // 1 is being delivered; 2, 3, 4 fill the queue; 5 and 6 push out the oldest waiting.
        for (var i = 2; i <= 6; i++) queues.Enqueue("dead", i);
        Assert.Equal([("dead", 2), ("dead", 3)], receivers.Dropped);

        gate.SetResult();
        await queues.CompleteAsync();
        Assert.Equal([1, 4, 5, 6], receivers.Of("dead"));
    }

    [Fact]
    public async Task A_delivery_that_throws_is_reported_and_the_next_item_still_goes()
    {
        var receivers = new Receivers();
        var queues = receivers.Queues();
        queues.Enqueue("picky", -1);
        queues.Enqueue("picky", 2);
        await queues.CompleteAsync();
        Assert.Equal([("picky", -1, "receiver picky refused -1")], receivers.Failed);
        Assert.Equal([2], receivers.Of("picky"));
    }

    [Fact]
    public async Task A_receiver_that_is_gone_delivers_what_it_holds_and_its_worker_ends()
    {
        var receivers = new Receivers();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receivers.Hung["gone"] = gate;
        var queues = receivers.Queues();
        queues.Enqueue("gone", 1);
        queues.Enqueue("gone", 2);
        queues.Enqueue("kept", 1);
        queues.Retain(new HashSet<string> { "kept" });
        // A later item for the same name starts a new queue: the old one is closed, not reopened.
        queues.Enqueue("gone", 3);
        gate.SetResult();
        await queues.CompleteAsync();
        Assert.Equal([1, 2, 3], receivers.Of("gone").Order());
        Assert.Equal([1], receivers.Of("kept"));
    }

    [Fact]
    public async Task Cancelling_stops_a_hung_delivery_and_completing_returns()
    {
        var receivers = new Receivers();
        receivers.Hung["dead"] = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var queues = receivers.Queues(stop: stop.Token);
        queues.Enqueue("dead", 1);
        await receivers.FirstStarted.Task.WaitAsync(Deadline);
        stop.Cancel();
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Empty(receivers.Failed);
        Assert.Empty(receivers.Of("dead"));
    }
}
