using Flotilla.Core.Rollout;

namespace Flotilla.Core.Tests.Rollout;

public sealed class RolloutStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RolloutState Running = new()
    {
        Revision = "r2",
        LastHealthyRevision = "r1",
        Stage = 1,
        Step = RolloutStep.Before,
        StepSince = Now,
        Halted = "stage dev: 1 of 3 failed, budget 0",
        Stages = [new("dev", 3, 2, 1), new("prod", 40, 0, 0)],
        Clusters = [new("d3", Now.AddMinutes(-10), "unreachable within 10m"), new("p1", Now)],
        Approvals = ["dev/after/0"],
    };

    [Fact]
    public void Json_round_trip_keeps_every_field()
    {
        var json = Running.ToJson();

        Assert.Equal(Running, RolloutState.Parse(json));
        Assert.Contains("\"step\":\"Before\"", json);
        Assert.DoesNotContain("rolledBack", json); // nulls are left out: the status stays compact
    }

    [Theory]
    [InlineData("""{"version":2}""", "version 2")]
    [InlineData("""{"version":1,"surprise":true}""", "surprise")]
    [InlineData("""{"version":1,"step":"Sideways"}""", "invalid rollout state")]
    [InlineData("null", "null")]
    public void Parse_is_strict(string json, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => RolloutState.Parse(json)).Message);

    [Fact]
    public void Approve_records_a_gate_of_the_current_run_once_and_ignores_stale_ones()
    {
        var approved = RolloutCommands.Apply(Running, RolloutCommand.Approve("r2", "prod/before/0"), Now);
        Assert.Equal(["dev/after/0", "prod/before/0"], approved.Approvals.AsEnumerable());
        Assert.Same(approved, RolloutCommands.Apply(approved, RolloutCommand.Approve("r2", "prod/before/0"), Now));
        Assert.Same(Running, RolloutCommands.Apply(Running, RolloutCommand.Approve("r1", "prod/before/0"), Now));
    }

    [Fact]
    public void Resume_lifts_pause_and_halt_and_retries_every_released_cluster_from_now()
    {
        var paused = RolloutCommands.Apply(Running, RolloutCommand.Pause(), Now);
        Assert.True(paused.Paused);

        var resumed = RolloutCommands.Apply(paused, RolloutCommand.Resume(), Now.AddHours(1));

        Assert.False(resumed.Paused);
        Assert.Null(resumed.Halted);
        Assert.All(resumed.Clusters, c => Assert.Equal((Now.AddHours(1), (string?)null), (c.ReleasedAt, c.Failure)));
    }

    [Fact]
    public void Rollback_only_for_the_current_run()
    {
        Assert.Same(Running, RolloutCommands.Apply(Running, RolloutCommand.Rollback("r1"), Now));
        Assert.Equal("rollback requested", RolloutCommands.Apply(Running, RolloutCommand.Rollback("r2"), Now).RolledBack);
        Assert.Same(RolloutState.Empty, RolloutCommands.Apply(RolloutState.Empty, new RolloutCommand(RolloutCommandKind.Rollback), Now));
    }
}
