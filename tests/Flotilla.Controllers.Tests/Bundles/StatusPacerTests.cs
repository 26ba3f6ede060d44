using Flotilla.Controllers.Bundles;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class StatusPacerTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-02T08:00:00Z"));
    private StatusPacer Pacer() => new(_clock);

    [Fact]
    public void The_first_change_is_written_at_once_when_no_cluster_is_busy()
    {
        var pacer = Pacer();
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: false));
    }

    [Fact]
    public void A_second_write_waits_until_a_second_has_passed_since_the_first()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(700), pacer.Changed("ns/b"));
        Assert.Equal(StatusPace.After(TimeSpan.FromMilliseconds(700)), pacer.Next("ns/b", false));
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
    }

    [Fact]
    public void While_clusters_are_busy_the_write_waits_for_them_but_never_longer_than_a_second_after_the_first_change()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(StatusPace.After(TimeSpan.FromMilliseconds(700)), pacer.Next("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: true));
    }

    [Fact]
    public void Busy_clusters_finishing_early_let_the_write_go_at_once()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.False(pacer.Next("ns/b", clustersBusy: true).Write);
        _clock.Advance(TimeSpan.FromMilliseconds(120));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: false));
    }

    [Fact]
    public void Bundles_are_paced_apart()
    {
        var pacer = Pacer();
        pacer.Changed("ns/a");
        Assert.Equal(StatusPace.Now, pacer.Next("ns/a", false));
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
    }

    [Fact]
    public void A_forgotten_bundle_starts_afresh()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
        pacer.Forget("ns/b");
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
    }

    [Fact]
    public void A_look_after_the_last_write_with_no_change_since_writes_nothing_and_holds_no_later_change_back()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        // A cluster still busy: the look is scheduled for later; then the last cluster reports and the status is written.
        Assert.Equal(StatusPace.After(StatusPacer.Interval), pacer.Next("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
        // The scheduled look finds nothing new: no second write of the same status.
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(StatusPace.Nothing, pacer.Next("ns/b", false));
        // So a commit a moment later is written as soon as its clusters report, not a second after a write that never was.
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
    }

    [Fact]
    public void A_write_that_failed_is_still_owed()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
        pacer.WriteFailed("ns/b");
        Assert.Equal(StatusPace.After(StatusPacer.Interval), pacer.Next("ns/b", false));
        _clock.Advance(StatusPacer.Interval);
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", false));
    }

    [Fact]
    public void A_commit_whose_clusters_report_more_than_a_second_after_it_was_published_is_one_write_when_the_last_reports()
    {
        var pacer = Pacer();
        pacer.Published("ns/b");
        // Its clusters are busy: the new target alone waits for their results (it used to be written a second in, and the
        // results then waited for the second after that write).
        Assert.Equal(StatusPace.After(StatusPacer.ProgressWait), pacer.Next("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(1200));
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
        Assert.Equal(StatusPace.After(StatusPacer.Interval), pacer.Next("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: false));
    }

    [Fact]
    public void A_new_target_waits_for_busy_clusters_at_most_five_seconds_and_results_at_most_a_second()
    {
        var pacer = Pacer();
        pacer.Published("ns/b");
        _clock.Advance(StatusPacer.ProgressWait);
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: true));

        // A result 4.5 s into the next target's wait: written by the target's deadline, half a second later.
        _clock.Advance(TimeSpan.FromSeconds(1));
        pacer.Published("ns/b");
        _clock.Advance(TimeSpan.FromMilliseconds(4500));
        pacer.Changed("ns/b");
        Assert.Equal(StatusPace.After(TimeSpan.FromMilliseconds(500)), pacer.Next("ns/b", clustersBusy: true));
    }

    [Fact]
    public void A_new_target_with_no_cluster_busy_is_written_at_once()
    {
        var pacer = Pacer();
        Assert.Equal(TimeSpan.Zero, pacer.Published("ns/b"));
        Assert.Equal(StatusPace.Now, pacer.Next("ns/b", clustersBusy: false));
    }
}
