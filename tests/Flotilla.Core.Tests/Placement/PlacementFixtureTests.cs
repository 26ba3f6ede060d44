using Flotilla.Core.Placement;

namespace Flotilla.Core.Tests.Placement;

/// <summary>
/// Golden cases under <c>testdata/placement/</c>: the decision must select exactly the expected clusters, give
/// exactly the expected reason for every other one, the listed scores, and the expected recheck time (none when
/// the case names none); an invalid spec must give exactly the listed errors.
/// </summary>
public sealed class PlacementFixtureTests
{
    public static TheoryData<string> Cases() => new(PlacementCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_decides_as_expected(string name)
    {
        var fixture = PlacementCase.Load(name);
        var errors = fixture.Spec.Validate();
        Assert.True(errors.Length == fixture.Errors.Length, $"{name}: expected {fixture.Errors.Length} errors, got:\n  {string.Join("\n  ", errors)}");
        foreach (var (want, got) in fixture.Errors.Zip(errors))
            Assert.True(got.Contains(want, StringComparison.Ordinal), $"{name}: error \"{got}\" does not contain \"{want}\"");
        if (!errors.IsEmpty) return;

        var decision = PlacementEngine.Decide(fixture.Spec, fixture.Input);

        Assert.Equal(fixture.Selected.ToArray(), decision.Selected.ToArray());
        var reasons = decision.NotSelected.ToDictionary(o => o.Cluster, o => o.Reason);
        Assert.Equal(fixture.NotSelected.Keys.Order(StringComparer.Ordinal), reasons.Keys.Order(StringComparer.Ordinal));
        foreach (var (cluster, reason) in fixture.NotSelected)
            Assert.True(reason == reasons[cluster], $"{name}: {cluster}: expected \"{reason}\", got \"{reasons[cluster]}\"");
        var scores = decision.Outcomes.ToDictionary(o => o.Cluster, o => o.Score);
        foreach (var (cluster, score) in fixture.Scores)
            Assert.True(score == scores[cluster], $"{name}: {cluster}: expected score {score}, got {scores[cluster]?.ToString() ?? "none"}");
        Assert.Equal(fixture.RecheckAt, decision.RecheckAt);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_decides_the_same_whatever_the_order_of_the_clusters(string name)
    {
        var fixture = PlacementCase.Load(name);
        if (!fixture.Spec.Validate().IsEmpty) return;

        var reversed = fixture.Input with { Clusters = fixture.Input.Clusters.Reverse().ToList() };

        Assert.Equal(PlacementEngine.Decide(fixture.Spec, fixture.Input), PlacementEngine.Decide(fixture.Spec, reversed));
    }

    [Fact]
    public void Cases_cover_every_step_and_every_taint_effect()
    {
        var cases = PlacementCase.Names().Select(PlacementCase.Load).ToList();
        var decided = cases.Where(c => c.Spec.Validate().IsEmpty).Select(c => PlacementEngine.Decide(c.Spec, c.Input)).ToList();

        foreach (var step in Enum.GetValues<PlacementStep>())
            Assert.Contains(decided, d => d.NotSelected.Any(o => o.Step == step));
        foreach (var effect in new[] { ":NoSelect ", ":PreferNoSelect ", ":NoSelectIfNew " })
            Assert.Contains(decided, d => d.NotSelected.Any(o => o.Reason!.Contains(effect, StringComparison.Ordinal)));
        Assert.Contains(decided, d => d.RecheckAt is not null);
        Assert.Contains(cases, c => !c.Errors.IsEmpty);
    }
}
