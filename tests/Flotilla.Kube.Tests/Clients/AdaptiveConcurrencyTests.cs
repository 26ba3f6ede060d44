using Flotilla.Kube.Clients;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kube.Tests.Clients;

public sealed class AdaptiveConcurrencyTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void A_429_halves_the_limit_and_fast_answers_grow_it_back_one_window_at_a_time()
    {
        var limiter = new AdaptiveConcurrency(initial: 8, min: 1, max: 32, new FakeTimeProvider());
        limiter.Record(Fast, throttled: true);
        Assert.Equal(4, limiter.Limit);
        for (var i = 0; i < 3; i++) limiter.Record(Fast, throttled: false);
        Assert.Equal(4, limiter.Limit); // a window is as many answers as the limit
        limiter.Record(Fast, throttled: false);
        Assert.Equal(5, limiter.Limit);
        for (var i = 0; i < 10; i++) limiter.Record(Fast, throttled: true);
        Assert.Equal(1, limiter.Limit); // never below min
    }

    [Fact]
    public void Rising_latency_takes_one_off_at_most_once_a_second()
    {
        var clock = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(initial: 8, min: 1, max: 32, clock);
        limiter.Record(Fast, throttled: false);
        clock.Advance(TimeSpan.FromSeconds(2));
        limiter.Record(TimeSpan.FromSeconds(1), throttled: false);
        limiter.Record(TimeSpan.FromSeconds(1), throttled: false);
        Assert.Equal(7, limiter.Limit);
        clock.Advance(TimeSpan.FromSeconds(1));
        limiter.Record(TimeSpan.FromSeconds(1), throttled: false);
        Assert.Equal(6, limiter.Limit);
    }

    [Fact]
    public async Task No_more_than_the_limit_run_at_once_and_a_shrink_takes_effect_as_slots_come_back()
    {
        var limiter = new AdaptiveConcurrency(initial: 2, min: 1, max: 4, new FakeTimeProvider());
        var a = await limiter.AcquireAsync(CancellationToken.None);
        var b = await limiter.AcquireAsync(CancellationToken.None);
        var third = limiter.AcquireAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        limiter.Record(Fast, throttled: true); // limit 1 while two are held
        a.Dispose();
        Assert.False(third.IsCompleted); // the returned slot pays for the shrink
        b.Dispose();
        (await third).Dispose();
    }
}
