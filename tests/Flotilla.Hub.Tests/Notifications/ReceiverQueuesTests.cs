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
        /// <summary>Receivers whose delivery waits on its gate even when cancelled (an HTTP stack slow to give up).</summary>
        public ConcurrentDictionary<string, TaskCompletionSource> Stubborn { get; } = new();
        public ConcurrentQueue<(string, int, DropReason)> Dropped { get; } = new();
        public ConcurrentQueue<(string, int, string)> Failed { get; } = new();
        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running, _mostAtOnce;
        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        /// <param name="reportsThrow">Each report is recorded, then throws (a logger that fails).</param>
        public ReceiverQueues<int> Queues(int capacity = 100, CancellationToken stop = default, bool reportsThrow = false) =>
            new(DeliverAsync, capacity,
                (r, i, why) => { Dropped.Enqueue((r, i, why)); ThrowIf(reportsThrow); },
                (r, i, e) => { Failed.Enqueue((r, i, e.Message)); ThrowIf(reportsThrow); },
                stop);

        private static void ThrowIf(bool fail)
        {
            if (fail) throw new IOException("the log could not be written");
        }

        private async Task DeliverAsync(string receiver, int item, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _mostAtOnce, now);
            try
            {
                FirstStarted.TrySetResult();
                if (item < 0) throw new InvalidOperationException($"receiver {receiver} refused {item}");
                if (Hung.TryGetValue(receiver, out var gate)) await gate.Task.WaitAsync(ct);
                if (Stubborn.TryRemove(receiver, out var slow)) await slow.Task;
                await Task.Yield();
                Got.GetOrAdd(receiver, _ => new()).Enqueue(item);
            }
            finally { Interlocked.Decrement(ref _running); }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
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
    public async Task A_report_that_throws_stops_neither_the_caller_nor_the_receivers_worker()
    {
        var receivers = new Receivers();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receivers.Hung["r"] = gate;
        var queues = receivers.Queues(capacity: 1, reportsThrow: true);

        // Three items for a hung receiver with room for one: at least one is dropped, and its report throws inside Enqueue.
        for (var i = 1; i <= 3; i++) queues.Enqueue("r", i);
        Assert.Contains(receivers.Dropped, d => d is ("r", _, DropReason.QueueFull));
        gate.SetResult();
        await UntilAsync(() => receivers.Of("r").LastOrDefault() == 3, "the newest item delivered once the receiver answers");

        // A delivery that fails is reported, the report throws, and the worker goes on with the next item.
        queues.Enqueue("r", -1);
        await UntilAsync(() => !receivers.Failed.IsEmpty, "the failed delivery reported");
        queues.Enqueue("r", 4);
        await UntilAsync(() => receivers.Of("r").LastOrDefault() == 4, "the item after the failed one delivered");
        Assert.Equal([("r", -1, "receiver r refused -1")], receivers.Failed);
        await queues.CompleteAsync().WaitAsync(Deadline);
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
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([1, 2, 3], receivers.Of("dead"));
    }

    [Fact]
    public async Task One_receiver_gets_its_items_in_order_one_at_a_time()
    {
        var receivers = new Receivers();
        var queues = receivers.Queues();
        for (var i = 1; i <= 50; i++) queues.Enqueue("only", i);
        await queues.CompleteAsync().WaitAsync(Deadline);
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
        Assert.Equal([("dead", 2, DropReason.QueueFull), ("dead", 3, DropReason.QueueFull)], receivers.Dropped);

        gate.SetResult();
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([1, 4, 5, 6], receivers.Of("dead"));
    }

    [Fact]
    public async Task A_delivery_that_throws_is_reported_and_the_next_item_still_goes()
    {
        var receivers = new Receivers();
        var queues = receivers.Queues();
        queues.Enqueue("picky", -1);
        queues.Enqueue("picky", 2);
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([("picky", -1, "receiver picky refused -1")], receivers.Failed);
        Assert.Equal([2], receivers.Of("picky"));
    }

    [Fact]
    public async Task A_receiver_that_is_gone_drops_what_it_holds_and_a_new_one_of_that_name_starts_after_it()
    {
        var receivers = new Receivers();
        receivers.Hung["gone"] = new TaskCompletionSource();   // never released: only Retain ends it
        var queues = receivers.Queues();
        queues.Enqueue("gone", 1);
        await receivers.FirstStarted.Task.WaitAsync(Deadline);
        queues.Enqueue("gone", 2);
        queues.Enqueue("kept", 1);
        queues.Retain(new HashSet<string> { "kept" });
        // The same name again is a new receiver: its queue starts once the old worker has ended, so nothing overtakes.
        receivers.Hung.TryRemove("gone", out _);
        queues.Enqueue("gone", 3);
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([("gone", 1, DropReason.ReceiverGone), ("gone", 2, DropReason.ReceiverGone)], receivers.Dropped);
        Assert.Equal([3], receivers.Of("gone"));
        Assert.Equal([1], receivers.Of("kept"));
        Assert.Empty(receivers.Failed);
    }

    [Fact]
    public async Task A_receiver_that_comes_back_is_not_delivered_to_before_its_old_worker_has_ended()
    {
        var receivers = new Receivers();
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receivers.Stubborn["back"] = slow;
        var queues = receivers.Queues();
        queues.Enqueue("back", 1);
        await receivers.FirstStarted.Task.WaitAsync(Deadline);
        queues.Enqueue("back", 2);
        queues.Retain(new HashSet<string>());
        queues.Enqueue("back", 3);
        // A window for what must not happen (3 overtaking 1), not a wait for something to happen: a slow machine can
        // only make it miss a defect, never fail correct code.
        await Task.Delay(200);
        Assert.Empty(receivers.Of("back"));

        slow.SetResult();
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([1, 3], receivers.Of("back"));
        Assert.Equal([("back", 2, DropReason.ReceiverGone)], receivers.Dropped);
    }

    [Fact]
    public async Task Stopping_drops_the_delivery_in_progress_and_what_waits_and_completing_returns()
    {
        var receivers = new Receivers();
        receivers.Hung["dead"] = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var queues = receivers.Queues(stop: stop.Token);
        queues.Enqueue("dead", 1);
        await receivers.FirstStarted.Task.WaitAsync(Deadline);
        queues.Enqueue("dead", 2);
        stop.Cancel();
        await queues.CompleteAsync().WaitAsync(Deadline);
        Assert.Equal([("dead", 1, DropReason.Stopped), ("dead", 2, DropReason.Stopped)], receivers.Dropped);
        Assert.Empty(receivers.Failed);
        Assert.Empty(receivers.Of("dead"));
    }
}
