using System.CommandLine;
using Flotilla.Cli.Commands;
using k8s.Models;

namespace Flotilla.Cli.Tests.Commands;

public sealed class ClusterRemoveCommandTests
{
    private static ParseResult Parse(string args) => ClusterRemoveCommand.Create().Parse(args);

    [Fact]
    public void By_default_it_waits_up_to_five_minutes_for_cleanup()
    {
        var r = Parse("member-3");
        Assert.Empty(r.Errors);
        Assert.Equal("member-3", r.GetValue<string>("NAME"));
        Assert.False(r.GetValue<bool>("--orphan"));
        Assert.True(r.GetValue<bool>("--wait"));
        Assert.Equal(TimeSpan.FromMinutes(5), r.GetValue<TimeSpan>("--timeout"));
    }

    [Theory]
    [InlineData("c --wait=false", false)]
    [InlineData("c --wait false", false)]
    [InlineData("c --wait", true)]
    public void Wait_can_be_turned_off(string args, bool wait)
    {
        var r = Parse(args);
        Assert.Empty(r.Errors);
        Assert.Equal(wait, r.GetValue<bool>("--wait"));
    }

    [Theory]
    [InlineData("c --timeout 90s", 90)]
    [InlineData("c --timeout 1h30m", 5400)]
    public void A_go_style_timeout_is_accepted(string args, int seconds)
    {
        var r = Parse(args);
        Assert.Empty(r.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), r.GetValue<TimeSpan>("--timeout"));
    }

    [Theory]
    [InlineData("c --timeout 5", "invalid duration")]
    [InlineData("c --timeout 0s", "positive duration")]
    [InlineData("", "Required argument missing")]
    public void Bad_arguments_are_clear_errors(string args, string expected) =>
        Assert.Contains(Parse(args).Errors, e => e.Message.Contains(expected));

    [Fact]
    public void Help_explains_both_choices()
    {
        var command = ClusterRemoveCommand.Create();
        Assert.Contains("flotilla.io/cleanup", command.Description);
        Assert.Contains("--orphan deletes the registration and credentials now", command.Description);
        Assert.Contains("inventory", command.Options.Single(o => o.Name == "--orphan").Description);
        Assert.Contains("rm", command.Aliases);
    }

    [Theory]
    [InlineData(true, false, false, 3, ClusterRemovalPath.Orphan)]
    [InlineData(true, true, true, 0, ClusterRemovalPath.Orphan)]
    [InlineData(false, false, true, 0, ClusterRemovalPath.Cleanup)]
    [InlineData(false, false, true, 2, ClusterRemovalPath.Cleanup)]
    [InlineData(false, true, false, 2, ClusterRemovalPath.Cleanup)] // already removing: wait on it again
    [InlineData(false, false, false, 0, ClusterRemovalPath.DeleteNow)]
    [InlineData(false, false, false, 1, ClusterRemovalPath.RefuseWithoutHub)]
    public void The_path_never_leaves_a_cluster_waiting_on_a_hub_that_does_not_run(bool orphan, bool removing, bool hubRunning, int bundles, ClusterRemovalPath expected) =>
        Assert.Equal(expected, ClusterRemoveCommand.Choose(orphan, removing, hubRunning, bundles));

    [Fact]
    public void A_hub_runs_while_its_lease_is_held_and_renewed_within_its_duration()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        V1Lease Lease(string? holder, int secondsAgo) => new()
        {
            Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15, RenewTime = now.UtcDateTime.AddSeconds(-secondsAgo) },
        };
        Assert.True(ClusterRemoveCommand.HubIsRunning(Lease("hub-a", 3), now));
        Assert.True(ClusterRemoveCommand.HubIsRunning(Lease("hub-a", 19), now)); // within the clock-skew slack
        Assert.False(ClusterRemoveCommand.HubIsRunning(Lease("hub-a", 60), now));
        Assert.False(ClusterRemoveCommand.HubIsRunning(Lease(null, 1), now)); // released on shutdown
        Assert.False(ClusterRemoveCommand.HubIsRunning(null, now));
    }
}
