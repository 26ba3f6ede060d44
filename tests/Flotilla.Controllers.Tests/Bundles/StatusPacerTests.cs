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
        Assert.Null(pacer.WaitBeforeWrite("ns/b", clustersBusy: false));
    }

    [Fact]
    public void A_second_write_waits_until_a_second_has_passed_since_the_first()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.Null(pacer.WaitBeforeWrite("ns/b", false));
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(700), pacer.Changed("ns/b"));
        Assert.Equal(TimeSpan.FromMilliseconds(700), pacer.WaitBeforeWrite("ns/b", false));
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Null(pacer.WaitBeforeWrite("ns/b", false));
    }

    [Fact]
    public void While_clusters_are_busy_the_write_waits_for_them_but_never_longer_than_a_second_after_the_first_change()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(700), pacer.WaitBeforeWrite("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Null(pacer.WaitBeforeWrite("ns/b", clustersBusy: true));
    }

    [Fact]
    public void Busy_clusters_finishing_early_let_the_write_go_at_once()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.NotNull(pacer.WaitBeforeWrite("ns/b", clustersBusy: true));
        _clock.Advance(TimeSpan.FromMilliseconds(120));
        Assert.Null(pacer.WaitBeforeWrite("ns/b", clustersBusy: false));
    }

    [Fact]
    public void Bundles_are_paced_apart()
    {
        var pacer = Pacer();
        pacer.Changed("ns/a");
        Assert.Null(pacer.WaitBeforeWrite("ns/a", false));
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
        Assert.Null(pacer.WaitBeforeWrite("ns/b", false));
    }

    [Fact]
    public void A_forgotten_bundle_starts_afresh()
    {
        var pacer = Pacer();
        pacer.Changed("ns/b");
        Assert.Null(pacer.WaitBeforeWrite("ns/b", false));
        pacer.Forget("ns/b");
        Assert.Equal(TimeSpan.Zero, pacer.Changed("ns/b"));
    }
}
