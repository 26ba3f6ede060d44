using System.CommandLine;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

public sealed class RolloutStatusCommandTests
{
    private static ParseResult Parse(string args) => RolloutCommands.Create().Parse(args);

    [Fact]
    public void Status_prints_once_by_default_and_watch_has_a_ten_minute_timeout()
    {
        var r = Parse("status shop");
        Assert.Empty(r.Errors);
        Assert.False(r.GetValue<bool>("--watch"));
        Assert.Equal(TimeSpan.FromMinutes(10), r.GetValue<TimeSpan>("--timeout"));
    }

    [Theory]
    [InlineData("status shop -w --timeout 3m", 180)]
    [InlineData("status shop --watch --timeout 90s", 90)]
    public void Watch_takes_a_go_style_timeout(string args, int seconds)
    {
        var r = Parse(args);
        Assert.Empty(r.Errors);
        Assert.True(r.GetValue<bool>("--watch"));
        Assert.Equal(TimeSpan.FromSeconds(seconds), r.GetValue<TimeSpan>("--timeout"));
    }

    [Theory]
    [InlineData("status shop -w --timeout 3", "invalid duration")]
    [InlineData("status shop -w --timeout 0s", "positive duration")]
    [InlineData("approve shop --wait soon", "invalid duration")]
    public void A_bad_duration_is_a_clear_error(string args, string expected) =>
        Assert.Contains(Parse(args).Errors, e => e.Message.Contains(expected));
}
