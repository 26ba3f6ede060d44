using System.Collections.Concurrent;
using Flotilla.Controllers.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Runtime;

public sealed class WorkQueueTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider clock = new();
    private readonly WorkQueue<string> queue;

    public WorkQueueTests()
    {
        // 0.5 × 10 % jitter: every backoff is 95 % of its doubled base.
        queue = new WorkQueue<string>(clock, new ExponentialBackoff { MaxDelay = TimeSpan.FromSeconds(10), Random = () => 0.5 });
    }

    public void Dispose() => queue.Dispose();

    [Fact]
    public async Task Add_SameKeyWhileWaiting_IsHandedOutOnce()
    {
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.TakeAsync(CancellationToken.None))!.Key);
        Assert.Equal("b", (await queue.TakeAsync(CancellationToken.None))!.Key);
        Assert.False(queue.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task IsActive_WhileReadyOrLeased_NotWhileOnlyDelayed()
    {
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        Assert.False(queue.IsActive("a"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(queue.IsActive("a"));
        var lease = (await queue.TakeAsync(CancellationToken.None))!;
        Assert.True(queue.IsActive("a"));
        lease.Done();
        Assert.False(queue.IsActive("a"));
    }

    [Fact]
    public async Task Released_IsRaisedOnceAfterDone_WhenTheKeyIsNoLongerLeased()
    {
        var seen = new List<(string Key, bool Active)>();
        queue.Released += key => seen.Add((key, queue.IsActive(key)));
        var lease = await FirstAdd("a");
        Assert.Empty(seen);
        lease.Done();
        lease.Done();
        Assert.Equal([("a", false)], seen);
    }

    [Fact]
    public async Task Add_WhileLeased_IsHandedOutExactlyOnceMoreAfterDone()
    {
        var lease = await FirstAdd("a");
        queue.Add("a");
        queue.Add("a");

        Assert.Equal(0, queue.Count);
        var second = queue.TakeAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        lease.Done();
        var again = await second.OrTimeout();
        Assert.Equal("a", again!.Key);

        lease.Done(); // idempotent: must not hand "a" out a third time
        again.Done();
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task LeasedKey_IsNotHandedToAnotherWaitingTaker()
    {
        var first = queue.TakeAsync(CancellationToken.None);
        var second = queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        var lease = await first.OrTimeout();
        queue.Add("a");

        Assert.False(second.IsCompleted);
        lease!.Dispose();
        Assert.Equal("a", (await second.OrTimeout())!.Key);
    }

    [Fact]
    public async Task Takers_AreServedInArrivalOrder_AndKeysFirstInFirstOut()
    {
        var first = queue.TakeAsync(CancellationToken.None);
        var second = queue.TakeAsync(CancellationToken.None);

        queue.Add("x");
        queue.Add("y");
        queue.Add("z");

        Assert.Equal("x", (await first.OrTimeout())!.Key);
        Assert.Equal("y", (await second.OrTimeout())!.Key);
        Assert.Equal("z", (await queue.TakeAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public async Task AddAfter_BecomesReadyWhenTheClockReachesTheDelay_NotBefore()
    {
        var taker = queue.TakeAsync(CancellationToken.None);
        queue.AddAfter("a", TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(5) - Tick);
        Assert.False(taker.IsCompleted);

        clock.Advance(Tick);
        Assert.Equal("a", (await taker.OrTimeout())!.Key);
    }

    [Fact]
    public void AddAfter_SubMillisecondDelay_RoundsUpNeverDown()
    {
        queue.AddAfter("a", TimeSpan.FromMilliseconds(1.5));

        clock.Advance(TimeSpan.FromMilliseconds(1.5) - Tick);
        Assert.Equal(0, queue.Count);

        clock.Advance(TimeSpan.FromMilliseconds(0.5) + Tick);
        Assert.Equal(1, queue.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AddAfter_NonPositiveDelay_AddsAtOnce(int seconds)
    {
        queue.AddAfter("a", TimeSpan.FromSeconds(seconds));

        Assert.Equal(1, queue.Count);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(3, 10)]
    public async Task AddAfter_EarlierDelayWins_AndTheLaterOneIsDropped(int firstSeconds, int secondSeconds)
    {
        queue.AddAfter("a", TimeSpan.FromSeconds(firstSeconds));
        queue.AddAfter("a", TimeSpan.FromSeconds(secondSeconds));

        clock.Advance(TimeSpan.FromSeconds(3) - Tick);
        Assert.Equal(0, queue.Count);
        clock.Advance(Tick);
        Assert.Equal(1, queue.Count);

        (await queue.TakeAsync(CancellationToken.None))!.Done();
        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void AddAfter_ManyKeys_BecomeReadyInDueOrder()
    {
        queue.AddAfter("late", TimeSpan.FromSeconds(30));
        queue.AddAfter("early", TimeSpan.FromSeconds(10));
        queue.AddAfter("middle", TimeSpan.FromSeconds(20));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Count);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, queue.Count);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public async Task AddRateLimited_BackoffDoublesWithDeterministicJitter_AndCaps()
    {
        // Base 1 s doubling, 10 s cap, each shortened by 5 % jitter.
        int[] expectedMs = [950, 1_900, 3_800, 7_600, 9_500, 9_500];
        for (var i = 0; i < expectedMs.Length; i++)
        {
            queue.AddRateLimited("a");
            Assert.Equal(i + 1, queue.Failures("a"));

            clock.Advance(TimeSpan.FromMilliseconds(expectedMs[i]) - Tick);
            Assert.Equal(0, queue.Count);
            clock.Advance(Tick);
            Assert.Equal(1, queue.Count);

            (await queue.TakeAsync(CancellationToken.None))!.Done();
        }
    }

    [Fact]
    public async Task Forget_ResetsTheBackoff()
    {
        for (var i = 0; i < 3; i++)
        {
            queue.AddRateLimited("a");
            clock.Advance(TimeSpan.FromSeconds(10));
            (await queue.TakeAsync(CancellationToken.None))!.Done();
        }

        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));

        queue.AddRateLimited("a");
        clock.Advance(TimeSpan.FromMilliseconds(950) - Tick);
        Assert.Equal(0, queue.Count);
        clock.Advance(Tick);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Failures_AreCountedPerKey()
    {
        queue.AddRateLimited("a");
        queue.AddRateLimited("a");
        queue.AddRateLimited("b");

        Assert.Equal(2, queue.Failures("a"));
        Assert.Equal(1, queue.Failures("b"));
        Assert.Equal(0, queue.Failures("c"));
    }

    [Fact]
    public async Task ShutDown_WakesWaitingTakers_AndIgnoresLaterWork()
    {
        var first = queue.TakeAsync(CancellationToken.None);
        var second = queue.TakeAsync(CancellationToken.None);
        queue.AddAfter("delayed", TimeSpan.FromSeconds(1));

        queue.ShutDown();

        Assert.Null(await first.OrTimeout());
        Assert.Null(await second.OrTimeout());
        Assert.True(queue.IsShutDown);

        queue.Add("a");
        queue.AddRateLimited("b");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, queue.Count);
        Assert.Null(await queue.TakeAsync(CancellationToken.None).OrTimeout());
    }

    [Fact]
    public async Task TakeAsync_Cancelled_ThrowsAndLosesNoKey()
    {
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.TakeAsync(cancel.Token);
        var later = queue.TakeAsync(CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().OrTimeout());

        queue.Add("a");
        Assert.Equal("a", (await later.OrTimeout())!.Key);
    }

    [Fact]
    public async Task TakeAsync_AlreadyCancelled_Throws()
    {
        queue.Add("a");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => queue.TakeAsync(new CancellationToken(canceled: true)).AsTask());
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task ConcurrentAddersAndTakers_NeverLeaseOneKeyTwice()
    {
        var holders = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var maxHolders = 0;
        var processed = 0;

        async Task TakeUntilShutDown()
        {
            while (await queue.TakeAsync(CancellationToken.None) is { } lease)
            {
                var now = holders.AddOrUpdate(lease.Key, 1, (_, n) => n + 1);
                InterlockedMax(ref maxHolders, now);
                await Task.Yield();
                holders.AddOrUpdate(lease.Key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                lease.Done();
            }
        }

        void AddMany(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 5_000; i++)
            {
                queue.Add($"key-{random.Next(8)}");
            }
        }

        var takers = Enumerable.Range(0, 4).Select(_ => Task.Run(TakeUntilShutDown)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(seed => Task.Run(() => AddMany(seed)))).OrTimeout();
        queue.ShutDown();
        await Task.WhenAll(takers).OrTimeout();

        Assert.Equal(1, maxHolders);
        Assert.InRange(processed, 1, 20_000);
    }

    [Fact]
    public void Constructor_ValidatesTheBackoff()
    {
        Assert.Throws<ArgumentException>(
            () => new WorkQueue<string>(clock, new ExponentialBackoff { BaseDelay = TimeSpan.Zero }));
    }

    private async Task<WorkQueueLease<string>> FirstAdd(string key)
    {
        queue.Add(key);
        return (await queue.TakeAsync(CancellationToken.None).OrTimeout())!;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
