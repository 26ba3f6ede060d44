using Flotilla.Controllers.Bundles;

namespace Flotilla.Controllers.Tests.Bundles;

public class RecentEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(10);

    [Fact]
    public void An_event_is_not_repeated_within_the_quiet_period_and_may_be_after_it()
    {
        var recent = new RecentEvents(Quiet, maxRemembered: 100, forgetEvery: TimeSpan.FromMinutes(1));

        Assert.True(recent.TryClaim("a", T0));
        Assert.False(recent.TryClaim("a", T0 + Quiet - TimeSpan.FromSeconds(1)));
        Assert.True(recent.TryClaim("b", T0), "another event is not held back by the first");
        Assert.True(recent.TryClaim("a", T0 + Quiet));
        Assert.False(recent.TryClaim("a", T0 + Quiet + TimeSpan.FromMinutes(1)), "the quiet period starts again at the second write");
    }

    [Fact]
    public void A_released_claim_may_be_written_again_at_once_but_a_newer_claim_is_not_released()
    {
        var recent = new RecentEvents(Quiet, maxRemembered: 100, forgetEvery: TimeSpan.FromMinutes(1));
        Assert.True(recent.TryClaim("a", T0));
        recent.Release("a", T0);
        Assert.True(recent.TryClaim("a", T0 + TimeSpan.FromSeconds(1)));

        // A late failure of the first write must not undo the claim of the second.
        recent.Release("a", T0);
        Assert.False(recent.TryClaim("a", T0 + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Old_entries_are_kept_while_the_table_is_within_its_limit_and_forgotten_once_it_is_past()
    {
        var recent = new RecentEvents(Quiet, maxRemembered: 2, forgetEvery: TimeSpan.FromMinutes(1));
        Assert.True(recent.TryClaim("a", T0));
        // a is past its quiet period, but two entries are within the limit: nothing is forgotten.
        Assert.True(recent.TryClaim("b", T0 + TimeSpan.FromMinutes(11)));
        Assert.Equal(2, recent.Count);
        // A third is past the limit: a goes.
        Assert.True(recent.TryClaim("c", T0 + TimeSpan.FromMinutes(11)));
        Assert.Equal(2, recent.Count);
    }

    // Single-threaded: the race the forgetting guards against (an entry refreshed by another thread between the scan's
    // read and its removal) is not covered here.
    [Fact]
    public void Past_the_limit_old_entries_are_forgotten_at_most_once_per_interval_and_one_written_again_is_judged_by_its_new_time()
    {
        var recent = new RecentEvents(Quiet, maxRemembered: 2, forgetEvery: TimeSpan.FromMinutes(1));
        DateTimeOffset At(int minutes, int seconds = 0) => T0 + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
        Assert.True(recent.TryClaim("a", At(0)));
        Assert.True(recent.TryClaim("b", At(0)));
        // Past the limit, but nothing is old yet: all stay.
        Assert.True(recent.TryClaim("c", At(0, 30)));
        Assert.Equal(3, recent.Count);

        // Ten minutes on: a and b are forgotten, c (9.5 minutes old) stays.
        Assert.True(recent.TryClaim("d", At(10)));
        Assert.Equal(2, recent.Count);

        // Half a minute later c is old too, but the last forgetting was under a minute ago: nothing goes.
        Assert.True(recent.TryClaim("e", At(10, 30)));
        Assert.Equal(3, recent.Count);

        // c written again (its quiet period is over) is remembered from that time on.
        Assert.True(recent.TryClaim("c", At(10, 45)));
        Assert.True(recent.TryClaim("f", At(20, 40)));
        Assert.Equal(2, recent.Count); // d and e forgotten; c and f stay
        Assert.False(recent.TryClaim("c", At(20, 41)), "c, written again at 10:45, is still within its quiet period");
    }
}
