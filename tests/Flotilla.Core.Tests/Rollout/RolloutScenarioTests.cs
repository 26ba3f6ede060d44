using System.Text.Json.Nodes;
using Flotilla.Core.Rollout;

namespace Flotilla.Core.Tests.Rollout;

/// <summary>
/// The scenarios under <c>testdata/rollout/</c> (format in that folder's README): every step's plan must match its
/// <c>expect</c> block — phase, message, clusters (revision and status each), when to look again, stage counts, the last
/// healthy revision and the gate an approval would pass.
/// </summary>
public sealed class RolloutScenarioTests
{
    public static TheoryData<string> Cases() => new(RolloutScenario.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scenario_plans_every_step_as_expected(string name)
    {
        var scenario = RolloutScenario.Load(name);
        scenario.Run((step, expect, plan) =>
        {
            var where = $"{name} step {step}: {plan.Phase} \"{plan.Message}\"\n  clusters: {Clusters(plan)}\n  state: {plan.State.ToJson()}";
            Assert.True(expect.Count > 0, $"{where}\n  the step expects nothing");
            foreach (var (key, value) in expect)
            {
                var want = value!.ToString();
                var ok = key switch
                {
                    "phase" => plan.Phase.ToString() == want,
                    "message" => plan.Message.Contains(want, StringComparison.Ordinal),
                    "clusters" => Clusters(plan) == want,
                    "recheck" => want == "none" ? plan.RecheckAt is null : plan.RecheckAt == RolloutScenario.Start + RolloutScenario.Duration(want),
                    "stages" => Stages(plan.State) == want,
                    "lastHealthy" => (plan.State.LastHealthyRevision ?? "-") == want,
                    "approval" => (plan.AwaitingApproval ?? "-") == want,
                    _ => throw new InvalidOperationException($"{name}: unknown expectation \"{key}\""),
                };
                Assert.True(ok, $"{where}\n  expected {key}: {want}");
            }
        });
    }

    [Fact]
    public void Scenarios_cover_every_phase_and_every_cluster_status()
    {
        var phases = new HashSet<RolloutPhase>();
        var statuses = new HashSet<ClusterRolloutStatus>();
        foreach (var name in RolloutScenario.Names())
        {
            RolloutScenario.Load(name).Run((_, _, plan) =>
            {
                phases.Add(plan.Phase);
                statuses.UnionWith(plan.Clusters.Select(c => c.Status));
            });
        }
        Assert.Equal(Enum.GetValues<RolloutPhase>().Order(), phases.Order());
        Assert.Equal(Enum.GetValues<ClusterRolloutStatus>().Order(), statuses.Order());
    }

    private static string Clusters(RolloutPlan plan) =>
        string.Join(" ", plan.Clusters.Select(c => $"{c.Name}={c.Revision ?? "-"}:{c.Status}"));

    private static string Stages(RolloutState state) =>
        string.Join(" ", state.Stages.Select(s => $"{s.Name}={s.Clusters}/{s.Done}/{s.Failed}"));
}
