using Flotilla.Core.Charts;

namespace Flotilla.Core.Tests.Charts;

public sealed class ChartVersionRangeTests
{
    private static readonly string[] Published = ["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.3.0-rc.1", "1.3.0", "2.0.0", "2.1.0"];

    [Theory]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("*", "2.1.0")]
    [InlineData("1.x", "1.3.0")]
    [InlineData("1.2.*", "1.2.5")]
    [InlineData(">=1.0.0 <2.0.0", "1.3.0")]
    [InlineData(">= 1.0.0, < 1.3.0", "1.2.5")]
    [InlineData("^1.2.0", "1.3.0")]
    [InlineData("~1.2.0", "1.2.5")]
    [InlineData("^0.9", "0.9.0")]
    [InlineData("1.0 - 1.2", "1.2.5")]
    [InlineData("<1.0.0 || >=2.1.0", "2.1.0")]
    [InlineData(">=1.3.0-0 <1.3.0", "1.3.0-rc.1")]
    [InlineData("!=2.1.0", "2.0.0")]
    [InlineData(">3.0.0", null)]
    public void The_highest_allowed_version_is_chosen(string range, string? expected)
    {
        var parsed = ChartVersionRange.Parse(range, out var problem);

        Assert.Null(problem);
        Assert.Equal(expected, parsed!.Highest(Published.Select(v => ChartVersion.Parse(v)!))?.ToString());
    }

    [Theory]
    [InlineData(">=banana")]
    [InlineData("1.2.3.4")]
    [InlineData(">=")]
    public void A_range_that_does_not_parse_says_so(string range)
    {
        Assert.Null(ChartVersionRange.Parse(range, out var problem));
        Assert.Contains("is not a version constraint", problem);
    }

    [Theory]
    [InlineData("1.0.0", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.2", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.10", "1.0.0-rc.2")]
    [InlineData("1.0.0-beta", "1.0.0-alpha")]
    [InlineData("1.10.0", "1.9.9")]
    public void Versions_order_by_semver(string higher, string lower) =>
        Assert.True(ChartVersion.Parse(higher)!.CompareTo(ChartVersion.Parse(lower)) > 0);
}
