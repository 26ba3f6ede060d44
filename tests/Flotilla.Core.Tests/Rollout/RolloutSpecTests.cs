using Flotilla.Core.Clusters;
using Flotilla.Core.Rollout;

namespace Flotilla.Core.Tests.Rollout;

public sealed class RolloutSpecTests
{
    private static readonly RolloutStage Canary = new("canary", LabelSelector.Parse("env=canary"));

    public static TheoryData<string, RolloutSpec> InvalidSpecs() => new()
    {
        { "strategy Progressive needs maxConcurrency", new RolloutSpec { Strategy = RolloutStrategy.Progressive } },
        { "maxConcurrency is for strategies Progressive and Staged, not All", new RolloutSpec { MaxConcurrency = IntOrPercent.Count(1) } },
        { "strategy Staged needs at least one stage", new RolloutSpec { Strategy = RolloutStrategy.Staged } },
        { "stages are only for strategy Staged, not All", new RolloutSpec { Stages = [Canary] } },
        { "maxConcurrency must be at least 1, not 0", new RolloutSpec { Strategy = RolloutStrategy.Progressive, MaxConcurrency = IntOrPercent.Count(0) } },
        { "maxConcurrency must not exceed 100%, not 150%", new RolloutSpec { Strategy = RolloutStrategy.Progressive, MaxConcurrency = IntOrPercent.Percent(150) } },
        { "maxFailures must be zero or more, not -1", new RolloutSpec { MaxFailures = IntOrPercent.Count(-1) } },
        { "progressDeadline must be positive", new RolloutSpec { ProgressDeadline = TimeSpan.Zero } },
        { "minSuccessTime must not be negative", new RolloutSpec { MinSuccessTime = TimeSpan.FromSeconds(-1) } },
        { "stage name \"Canary\" is not a DNS label", Staged(Canary with { Name = "Canary" }) },
        { "stage name \"canary\" is used twice", Staged(Canary, Canary) },
        { "stage canary: maxConcurrency must be at least 1, not 0%", Staged(Canary with { MaxConcurrency = IntOrPercent.Percent(0) }) },
        { "stage canary: maxFailures must not exceed 100%, not 101%", Staged(Canary with { MaxFailures = IntOrPercent.Percent(101) }) },
        { "stage canary: a TimedWait gate needs a positive duration", Staged(Canary with { After = [RolloutGate.Wait(TimeSpan.Zero)] }) },
        { "stage canary: an Approval gate takes no duration", Staged(Canary with { Before = [new RolloutGate(GateKind.Approval, TimeSpan.FromMinutes(1))] }) },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Validate_names_the_problem(string error, RolloutSpec spec) => Assert.Equal([error], spec.Validate());

    [Fact]
    public void Defaults_and_a_full_staged_spec_are_valid()
    {
        Assert.Empty(new RolloutSpec().Validate());
        var staged = Staged(
            Canary with { MaxConcurrency = IntOrPercent.Count(1), MaxFailures = IntOrPercent.Percent(100), After = [RolloutGate.Wait(TimeSpan.FromMinutes(30))] },
            new RolloutStage("prod", LabelSelector.Parse("env=prod"), Before: [RolloutGate.Approval]));
        Assert.Empty(staged.Validate());
    }

    [Fact]
    public void An_invalid_spec_moves_nothing_and_keeps_the_state()
    {
        var spec = new RolloutSpec { Strategy = RolloutStrategy.Progressive };
        var state = new RolloutState { Revision = "r1", LastHealthyRevision = "r1", Stage = 1, Stages = [new("all", 1, 1, 0)] };
        var cluster = new ClusterObservation("a", new Dictionary<string, string>(), true, "r1", DateTimeOffset.UnixEpoch, true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var plan = RolloutPlanner.Plan(spec, state, [cluster], "r2", DateTimeOffset.UnixEpoch.AddHours(1));

        Assert.Equal(RolloutPhase.Invalid, plan.Phase);
        Assert.Equal("invalid rollout spec: strategy Progressive needs maxConcurrency", plan.Message);
        Assert.Equal(state, plan.State);
        Assert.Equal("r1", Assert.Single(plan.Clusters).Revision);
    }

    [Theory]
    [InlineData("3", 10, 3)]
    [InlineData("25%", 10, 2)]
    [InlineData("34%", 3, 1)]
    [InlineData("10%", 9, 0)]
    [InlineData("100%", 7, 7)]
    public void IntOrPercent_counts_round_down(string text, int total, int expected) =>
        Assert.Equal(expected, IntOrPercent.Parse(text).Of(total));

    [Theory]
    [InlineData("")]
    [InlineData("x%")]
    [InlineData("1.5")]
    public void IntOrPercent_refuses_other_text(string text) => Assert.Throws<FormatException>(() => IntOrPercent.Parse(text));

    [Fact]
    public void Specs_compare_by_value()
    {
        Assert.Equal(Staged(Canary with { Before = [RolloutGate.Approval] }), Staged(Canary with { Before = [RolloutGate.Approval] }));
        Assert.NotEqual(Staged(Canary with { Before = [RolloutGate.Approval] }), Staged(Canary));
    }

    private static RolloutSpec Staged(params RolloutStage[] stages) => new() { Strategy = RolloutStrategy.Staged, Stages = [.. stages] };
}
