using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class RolloutCommandRequestTests
{
    private static Dictionary<string, string> Annotated(string json) => new() { [RolloutCommandRequest.Annotation] = json };

    [Fact]
    public void A_recorded_command_reads_back_as_the_planner_command()
    {
        var approve = new RolloutCommandRequest("c1", "Approve", "abc", "prod/before/0");
        var read = RolloutCommandRequest.Read(Annotated(approve.ToJson()), out var error);
        Assert.Null(error);
        Assert.Equal(approve, read);
        Assert.Equal(RolloutCommand.Approve("abc", "prod/before/0"), read!.Command());
        Assert.Equal(RolloutCommand.Rollback("abc"), new RolloutCommandRequest("c2", "Rollback", "abc").Command());
        Assert.Equal(RolloutCommand.Pause(), new RolloutCommandRequest("c3", "Pause").Command());
        Assert.Equal(RolloutCommand.Resume(), new RolloutCommandRequest("c4", "Resume").Command());
    }

    [Fact]
    public void No_annotation_is_no_command_and_no_error()
    {
        Assert.Null(RolloutCommandRequest.Read(null, out var none));
        Assert.Null(none);
        Assert.Null(RolloutCommandRequest.Read(new Dictionary<string, string> { ["other"] = "x" }, out none));
        Assert.Null(none);
    }

    [Theory]
    [InlineData("{\"id\":\"\",\"type\":\"Pause\"}", "needs an id")]
    [InlineData("{\"id\":\"c1\",\"type\":\"Approve\",\"revision\":\"abc\"}", "needs an id and a type")]
    [InlineData("{\"id\":\"c1\",\"type\":\"Rollback\"}", "needs an id and a type")]
    [InlineData("{\"id\":\"c1\",\"type\":\"Restart\"}", "needs an id and a type")]
    [InlineData("approve please", "is not a command")]
    public void A_command_that_cannot_be_read_is_refused_with_why(string json, string expected)
    {
        Assert.Null(RolloutCommandRequest.Read(Annotated(json), out var error));
        Assert.Contains(expected, error);
    }
}
