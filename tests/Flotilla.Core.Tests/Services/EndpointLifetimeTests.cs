using Flotilla.Core.Services;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Core.Tests.Services;

/// <summary>The endpoint lifetime state machine driven on a fake clock: grace, withdrawal, damping, return.</summary>
public sealed class EndpointLifetimeTests
{
    private static readonly StaleEndpointsPolicy Withdraw60 = new(StaleEndpointsMode.WithdrawAfter, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Runs the machine as the controller does: one decision per step, keeping only whether it is published.</summary>
    private sealed class Source(FakeTimeProvider clock, StaleEndpointsPolicy policy, bool published = true)
    {
        private SourceHealth health = new(true, clock.GetUtcNow());
        public bool Published { get; private set; } = published;
        public LifetimeDecision Last { get; private set; } = null!;

        public void Goes(bool available)
        {
            if (available != health.Available) health = new(available, clock.GetUtcNow());
            Look();
        }

        public LifetimeDecision Look()
        {
            Last = EndpointLifetime.Decide(Published, health, policy, clock.GetUtcNow());
            Published = Last.Published;
            return Last;
        }
    }

    [Fact]
    public void An_unavailable_cluster_keeps_its_endpoints_for_the_grace_then_loses_them()
    {
        var source = new Source(clock, Withdraw60);
        source.Goes(available: false);
        Assert.True(source.Published);
        Assert.Equal(clock.GetUtcNow().AddSeconds(60), source.Last.RecheckAt);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(source.Look().Published);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(source.Look().Published);
        Assert.Null(source.Last.RecheckAt);
    }

    [Fact]
    public void A_blink_inside_the_grace_changes_nothing()
    {
        var source = new Source(clock, Withdraw60);
        source.Goes(available: false);
        clock.Advance(TimeSpan.FromSeconds(30));
        source.Goes(available: true);
        Assert.True(source.Published);
        clock.Advance(TimeSpan.FromSeconds(5));
        source.Goes(available: false); // a new outage: its grace counts from now
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(source.Look().Published);
    }

    [Fact]
    public void Keep_never_withdraws()
    {
        var source = new Source(clock, Withdraw60 with { Mode = StaleEndpointsMode.Keep });
        source.Goes(available: false);
        clock.Advance(TimeSpan.FromDays(3));
        Assert.True(source.Look().Published);
        Assert.Null(source.Last.RecheckAt);
    }

    [Fact]
    public void A_returning_cluster_comes_back_after_the_damping_and_a_flapping_one_stays_out()
    {
        var source = new Source(clock, Withdraw60);
        source.Goes(available: false);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(source.Look().Published);

        source.Goes(available: true);
        Assert.False(source.Published);
        Assert.Equal(clock.GetUtcNow().AddSeconds(10), source.Last.RecheckAt);
        clock.Advance(TimeSpan.FromSeconds(4));
        source.Goes(available: false); // flaps: the damping starts over once it is back
        clock.Advance(TimeSpan.FromSeconds(3));
        source.Goes(available: true);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(source.Look().Published);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(source.Look().Published);
        Assert.Equal("Available again", source.Last.Reason);
    }

    [Fact]
    public void A_withdrawn_cluster_that_stays_down_stays_withdrawn()
    {
        var source = new Source(clock, Withdraw60, published: false);
        source.Goes(available: false);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(source.Look().Published);
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void A_restarted_hub_takes_the_state_from_the_members(bool available, bool copiesExist, bool published) =>
        Assert.Equal(published, EndpointLifetime.InitiallyPublished(new SourceHealth(available, DateTimeOffset.UnixEpoch), copiesExist));
}
