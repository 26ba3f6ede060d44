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
    public void A_new_command_is_a_change_the_bundle_watch_queues()
    {
        static System.Text.Json.Nodes.JsonObject Bundle(string? command) => new()
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["generation"] = 3,
                ["annotations"] = command is null ? null : new System.Text.Json.Nodes.JsonObject { [RolloutCommandRequest.Annotation] = command },
            },
        };
        var before = ObjectDiscovery.Version(Bundle(null));
        var paused = ObjectDiscovery.Version(Bundle(new RolloutCommandRequest("c1", "Pause").ToJson()));
        Assert.NotEqual(before, paused);
        Assert.NotEqual(paused, ObjectDiscovery.Version(Bundle(new RolloutCommandRequest("c2", "Resume").ToJson())));
        Assert.Equal(paused, ObjectDiscovery.Version(Bundle(new RolloutCommandRequest("c1", "Pause").ToJson())));
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
