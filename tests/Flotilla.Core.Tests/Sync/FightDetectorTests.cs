using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class FightDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Repeated_corrections_within_the_window_become_a_fight_held_for_the_cooldown()
    {
        var detector = new FightDetector(threshold: 3, window: TimeSpan.FromSeconds(60), cooldown: TimeSpan.FromMinutes(5));
        Assert.False(detector.RecordCorrection("cm", "hpa", T0));
        Assert.False(detector.RecordCorrection("cm", "hpa", T0.AddSeconds(10)));
        Assert.False(detector.IsHeld("cm", T0.AddSeconds(15), out _));
        Assert.True(detector.RecordCorrection("cm", "hpa", T0.AddSeconds(20)));
        Assert.True(detector.IsHeld("cm", T0.AddSeconds(21), out var manager));
        Assert.Equal("hpa", manager);
        Assert.True(detector.IsHeld("cm", T0.AddMinutes(5), out _));
        Assert.False(detector.IsHeld("cm", T0.AddMinutes(5).AddSeconds(21), out _));
        Assert.False(detector.IsHeld("other", T0.AddSeconds(21), out _));
    }

    [Fact]
    public void Corrections_spread_beyond_the_window_are_no_fight()
    {
        var detector = new FightDetector(threshold: 3, window: TimeSpan.FromSeconds(60));
        for (var i = 0; i < 10; i++) Assert.False(detector.RecordCorrection("cm", "someone", T0.AddSeconds(i * 45)));
    }
}
