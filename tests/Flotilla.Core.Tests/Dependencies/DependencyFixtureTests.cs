using Flotilla.Core.Dependencies;

namespace Flotilla.Core.Tests.Dependencies;

/// <summary>
/// Golden cases under <c>testdata/dependencies/</c>: every placed bundle's sync gate and every leaving bundle's removal
/// gate must say exactly what the case expects, and exactly the listed bundles are in a cycle, along the listed path.
/// </summary>
public sealed class DependencyFixtureTests
{
    public static TheoryData<string> Cases() => new(DependencyCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_gates_every_pair_as_expected(string name)
    {
        var fixture = DependencyCase.Load(name);
        var gated = fixture.Observations.Where(o => o.Value.Placement != DependencyPlacement.NotPlaced).Select(o => o.Key).Order(StringComparer.Ordinal);
        Assert.Equal(gated, fixture.Expect.Keys.Order(StringComparer.Ordinal));

        foreach (var (bundle, want) in fixture.Expect)
        {
            var wait = fixture.Observe(bundle).Placement == DependencyPlacement.Leaving
                ? DependencyGate.ForRemoval(fixture.Graph, bundle, fixture.Cluster, fixture.Observe)
                : DependencyGate.ForSync(fixture.Graph, bundle, fixture.Cluster, fixture.Observe);
            var got = wait?.Message ?? "go";
            Assert.True(want == got, $"{name}: {bundle}: expected \"{want}\", got \"{got}\"");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_finds_exactly_the_listed_cycles(string name)
    {
        var fixture = DependencyCase.Load(name);

        foreach (var bundle in fixture.Observations.Keys)
        {
            var cycle = fixture.Graph.CycleThrough(bundle);
            var want = fixture.Cycles.GetValueOrDefault(bundle);
            Assert.True(want == (cycle.IsEmpty ? null : DependencyGraph.Describe(cycle)), $"{name}: {bundle}: expected cycle \"{want}\", got \"{DependencyGraph.Describe(cycle)}\"");
        }
    }

    [Fact]
    public void Cases_cover_every_state_and_every_kind_of_wait()
    {
        var cases = DependencyCase.Names().Select(DependencyCase.Load).ToList();
        var states = cases.SelectMany(c => c.Observations.Values).Select(o => DependencyReadiness.Of(o).State).Append(DependencyReadiness.Of(DependencyObservation.Missing).State).ToHashSet();
        var kinds = cases.SelectMany(c => c.Expect.Keys.Select(b => c.Observe(b).Placement == DependencyPlacement.Leaving
            ? DependencyGate.ForRemoval(c.Graph, b, c.Cluster, c.Observe) : DependencyGate.ForSync(c.Graph, b, c.Cluster, c.Observe)))
            .OfType<DependencyWait>().Select(w => w.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<DependencyState>().ToHashSet(), states);
        Assert.Equal(Enum.GetValues<DependencyWaitKind>().ToHashSet(), kinds);
    }
}
