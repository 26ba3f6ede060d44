using System.Text.Json.Nodes;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class RolloutMappingTests
{
    private static BundleRollout Staged() => new()
    {
        Strategy = "Staged",
        MaxConcurrency = JsonValue.Create("50%"),
        MaxFailures = JsonValue.Create(1),
        ProgressDeadline = "20s",
        MinSuccessTime = "1m",
        OnFailure = "Rollback",
        Unmatched = "Error",
        Stages =
        [
            new() { Name = "dev", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["env"] = "dev" } } },
            new()
            {
                Name = "prod",
                Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "region", OperatorProperty = "In", Values = ["eu-west", "ap-south"] }] },
                MaxConcurrency = JsonValue.Create(2),
                MaxFailures = JsonValue.Create("10%"),
                Before = [new() { Type = "Approval" }],
                After = [new() { Type = "TimedWait", Duration = "5m" }],
            },
        ],
    };

    [Fact]
    public void Every_field_maps_to_the_planner_spec()
    {
        var spec = RolloutMapping.Spec(Staged(), out var errors);
        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Equal(RolloutStrategy.Staged, spec.Strategy);
        Assert.Equal(IntOrPercent.Percent(50), spec.MaxConcurrency);
        Assert.Equal(IntOrPercent.Count(1), spec.MaxFailures);
        Assert.Equal(TimeSpan.FromSeconds(20), spec.ProgressDeadline);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.MinSuccessTime);
        Assert.Equal(FailureAction.Rollback, spec.OnFailure);
        Assert.Equal(UnmatchedClusters.Error, spec.Unmatched);
        Assert.Equal(["dev", "prod"], spec.Stages.Select(s => s.Name));
        var prod = spec.Stages[1];
        Assert.Equal(IntOrPercent.Count(2), prod.MaxConcurrency);
        Assert.Equal(IntOrPercent.Percent(10), prod.MaxFailures);
        Assert.Equal(new[] { RolloutGate.Approval }, prod.Before.ToArray());
        Assert.Equal(new[] { RolloutGate.Wait(TimeSpan.FromMinutes(5)) }, prod.After.ToArray());
        Assert.True(prod.Selector.Matches(new Dictionary<string, string> { ["region"] = "ap-south" }));
        Assert.False(prod.Selector.Matches(new Dictionary<string, string> { ["region"] = "us-east" }));
        Assert.True(spec.Stages[0].Selector.Matches(new Dictionary<string, string> { ["env"] = "dev" }));
    }

    [Fact]
    public void An_empty_rollout_is_the_planner_default_All()
    {
        var spec = RolloutMapping.Spec(new BundleRollout(), out var errors);
        Assert.Empty(errors);
        Assert.Equal(new RolloutSpec(), spec);
    }

    public static TheoryData<string, string> Problems => new()
    {
        { "strategy", "strategy: \"Fast\" is not one of All, Progressive, Staged" },
        { "numericStrategy", "strategy: \"1\" is not one of" },
        { "maxFailures", "maxFailures: \"ten\" is neither a number nor a percentage" },
        { "progressDeadline", "progressDeadline: invalid duration \"soon\"" },
        { "onFailure", "onFailure: \"Retry\" is not one of Pause, Rollback" },
        { "gate", "stages[1].before[0].type: \"Manual\" is not one of Approval, TimedWait" },
        { "operator", "stages[1].selector.matchExpressions[0].operator: \"Gt\" is not one of In, NotIn, Exists, DoesNotExist" },
        { "label", "stages[0].selector.matchLabels: \"env=not ok\" is not a valid label" },
        { "noDuration", "stage prod: a TimedWait gate needs a positive duration" },
        { "noStages", "strategy Staged needs at least one stage" },
        { "negative", "maxFailures must be zero or more, not -1" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void A_bad_field_is_a_problem_naming_it(string change, string expected)
    {
        var rollout = Staged();
        switch (change)
        {
            case "strategy": rollout.Strategy = "Fast"; break;
            case "numericStrategy": rollout.Strategy = "1"; break;
            case "maxFailures": rollout.MaxFailures = JsonValue.Create("ten"); break;
            case "progressDeadline": rollout.ProgressDeadline = "soon"; break;
            case "onFailure": rollout.OnFailure = "Retry"; break;
            case "gate": rollout.Stages![1].Before![0].Type = "Manual"; break;
            case "operator": rollout.Stages![1].Selector!.MatchExpressions[0].OperatorProperty = "Gt"; break;
            case "label": rollout.Stages![0].Selector!.MatchLabels["env"] = "not ok"; break;
            case "noDuration": rollout.Stages![1].After![0].Duration = null; break;
            case "noStages": rollout.Stages = []; break;
            case "negative": rollout.MaxFailures = JsonValue.Create(-1); break;
        }
        Assert.Null(RolloutMapping.Spec(rollout, out var errors));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_rollout_stalls_the_bundle_with_InvalidSpec()
    {
        var rollout = Staged();
        rollout.OnFailure = "Retry";
        var bundle = new BundleResource { Metadata = new() { Name = "shop", NamespaceProperty = "default" }, Spec = new BundleSpec { Rollout = rollout } };
        var problem = BundleSpecProblem.Of(bundle);
        Assert.NotNull(problem);
        Assert.Equal("InvalidSpec", problem.Reason);
        Assert.StartsWith("spec.rollout: onFailure:", problem.Message);
        bundle.Spec.Rollout = Staged();
        Assert.Null(BundleSpecProblem.Of(bundle));
    }

    [Fact]
    public void A_cluster_belongs_to_the_first_stage_it_matches_else_the_last_or_none()
    {
        var spec = RolloutMapping.Spec(Staged(), out _)!;
        Assert.Equal("dev", RolloutMapping.StageOf(spec, new Dictionary<string, string> { ["env"] = "dev", ["region"] = "eu-west" }));
        Assert.Equal("prod", RolloutMapping.StageOf(spec, new Dictionary<string, string> { ["region"] = "eu-west" }));
        Assert.Null(RolloutMapping.StageOf(spec, new Dictionary<string, string>()));
        Assert.Equal(RolloutSpec.UnmatchedStageName, RolloutMapping.StageOf(spec with { Unmatched = UnmatchedClusters.Last }, new Dictionary<string, string>()));
        Assert.Equal(RolloutSpec.FleetStageName, RolloutMapping.StageOf(new RolloutSpec(), new Dictionary<string, string>()));
    }
}
