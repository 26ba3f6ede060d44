using Flotilla.Controllers.Runtime;

namespace Flotilla.Controllers.Tests.Runtime;

public sealed class ExponentialBackoffTests
{
    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(9, 256_000)]
    [InlineData(10, 300_000)] // 512 s is past the 5 min cap
    [InlineData(64, 300_000)]
    [InlineData(int.MaxValue, 300_000)]
    public void Delay_DoublesPerFailureUpToTheCap_WithoutJitter(int failures, int expectedMs)
    {
        var backoff = new ExponentialBackoff { Random = () => 0 };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Delay(failures));
    }

    [Theory]
    [InlineData(1, 0.5, 950)]
    [InlineData(2, 0.5, 1_900)]
    [InlineData(3, 0.25, 3_900)]
    [InlineData(10, 0.5, 285_000)] // jitter still spreads keys out at the cap, and never exceeds it
    [InlineData(1, 0.999999, 900)] // shortened by at most the jitter fraction (rounded to the tick)
    public void Delay_JitterShortensByAtMostTheFraction(int failures, double random, int expectedMs)
    {
        var backoff = new ExponentialBackoff { Random = () => random };

        var expected = TimeSpan.FromMilliseconds(expectedMs).Ticks;
        Assert.InRange(backoff.Delay(failures).Ticks, expected - 1, expected + 1);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(7.0)]
    [InlineData(double.NaN)]
    public void Delay_ClampsAMisbehavingRandomSource(double random)
    {
        var backoff = new ExponentialBackoff { Random = () => random, JitterFraction = 0.5 };

        var delay = backoff.Delay(1);

        Assert.InRange(delay, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Delay_IsNeverZero()
    {
        var backoff = new ExponentialBackoff { BaseDelay = TimeSpan.FromTicks(1), MaxDelay = TimeSpan.FromTicks(1), Random = () => 0.99 };

        Assert.Equal(TimeSpan.FromTicks(1), backoff.Delay(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Delay_RejectsFewerThanOneFailure(int failures)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff().Delay(failures));
    }

    [Fact]
    public void Defaults_AreOneSecondFiveMinutesTenPercent()
    {
        var backoff = new ExponentialBackoff();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.BaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), backoff.MaxDelay);
        Assert.Equal(0.1, backoff.JitterFraction);
        backoff.Validate();
    }

    public static TheoryData<ExponentialBackoff, string> InvalidSettings() => new()
    {
        { new ExponentialBackoff { BaseDelay = TimeSpan.Zero }, nameof(ExponentialBackoff.BaseDelay) },
        { new ExponentialBackoff { BaseDelay = TimeSpan.FromSeconds(-1) }, nameof(ExponentialBackoff.BaseDelay) },
        { new ExponentialBackoff { MaxDelay = TimeSpan.FromMilliseconds(999) }, nameof(ExponentialBackoff.MaxDelay) },
        { new ExponentialBackoff { JitterFraction = -0.1 }, nameof(ExponentialBackoff.JitterFraction) },
        { new ExponentialBackoff { JitterFraction = 1 }, nameof(ExponentialBackoff.JitterFraction) },
        { new ExponentialBackoff { JitterFraction = double.NaN }, nameof(ExponentialBackoff.JitterFraction) },
        { new ExponentialBackoff { Random = null! }, nameof(ExponentialBackoff.Random) },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_NamesTheInvalidSetting(ExponentialBackoff backoff, string setting)
    {
        var error = Assert.Throws<ArgumentException>(backoff.Validate);

        Assert.Equal(setting, error.ParamName);
    }
}
