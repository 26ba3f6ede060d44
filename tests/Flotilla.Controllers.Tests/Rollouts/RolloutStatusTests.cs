using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Rollout;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;

namespace Flotilla.Controllers.Tests.Rollouts;

public sealed class RolloutStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, 250, TimeSpan.Zero);
    private const string Old = "1111111111111111111111111111111111111111";
    private const string New = "2222222222222222222222222222222222222222";

    private static BundleResource Bundle() => new()
    {
        Metadata = new() { Name = "shop", NamespaceProperty = "default", Generation = 2 },
        Spec = new BundleSpec { Rollout = new BundleRollout { Strategy = "Staged" } },
    };

    private static BundleTarget Target(RolloutPhase phase, string? awaiting = null, BundleProblem? problem = null)
    {
        var state = new RolloutState { Revision = New, LastHealthyRevision = Old, Stage = 1 };
        var plan = new RolloutPlan(
            [new("dev-1", New, "dev", ClusterRolloutStatus.Done), new("prod-1", Old, "prod", ClusterRolloutStatus.Pending), new("prod-2", null, "prod", ClusterRolloutStatus.Pending)],
            state, phase, $"phase {phase}", Now.AddSeconds(20.5), awaiting);
        return new BundleTarget("default/shop", 2, New, ManifestSet.Empty, new SyncPolicy(),
            new Dictionary<string, ClusterIntent> { ["dev-1"] = ClusterIntent.Sync, ["prod-1"] = ClusterIntent.Sync, ["prod-2"] = ClusterIntent.Sync },
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1))
        {
            Rollout = new RolloutTarget(plan, new Dictionary<string, ManifestSet>(), "cmd-7"),
            Problem = problem,
        };
    }

    private static readonly Dictionary<string, (SyncResult, DateTimeOffset)> Results = new()
    {
        ["dev-1"] = (new SyncResult(SyncPhase.Synced, New, 1, 1, 0, HealthStatus.Healthy, null, []), Now),
        ["prod-1"] = (new SyncResult(SyncPhase.Synced, "0000000000000000000000000000000000000000", 1, 1, 0, HealthStatus.Healthy, null, []), Now),
    };

    [Fact]
    public void The_state_phase_and_acknowledged_command_are_written_together_with_each_cluster_meant_revision()
    {
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(RolloutPhase.AwaitingApproval, "prod/before/0"), Results);

        var rollout = status.Rollout!;
        Assert.Equal(New, RolloutState.Parse(rollout.State!).Revision);
        Assert.Equal("AwaitingApproval", rollout.Phase);
        Assert.Equal("phase AwaitingApproval", rollout.Message);
        Assert.Equal("prod/before/0", rollout.AwaitingApproval);
        Assert.Equal(New, rollout.TargetRevision);
        Assert.Equal(Old, rollout.LastHealthyRevision);
        Assert.Equal("cmd-7", rollout.LastCommandId);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 20, TimeSpan.Zero), rollout.RecheckAt); // second precision, as every status time

        var clusters = status.Clusters!.ToDictionary(c => c.Name);
        // Done and on its revision: nothing added. Meant for an older revision than applied: named. Not reached and never applied: nothing.
        Assert.Null(clusters["dev-1"].DesiredRevision);
        Assert.Null(clusters["dev-1"].Rollout);
        Assert.Equal(Old, clusters["prod-1"].DesiredRevision);
        Assert.Equal("prod/Pending", clusters["prod-1"].Rollout);
        Assert.Null(clusters["prod-2"].DesiredRevision);
        Assert.Equal("prod/Pending", clusters["prod-2"].Rollout);
        Assert.Equal("Pending", clusters["prod-2"].Phase);

        var ready = status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "RolloutAwaitingApproval"), (ready.Status, ready.Reason));
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == "Reconciling").Status);
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == "Stalled").Status);
    }

    [Fact]
    public void A_cluster_held_back_from_its_planned_revision_is_meant_to_have_none_and_says_why()
    {
        var target = Target(RolloutPhase.RolledBack);
        target = target with { Rollout = target.Rollout! with { HeldBack = new Dictionary<string, string> { ["prod-1"] = "revision 111 is not available any more" } } };
        var prod = new BundleStatusBuilder(Bundle(), Now).Build(target, Results).Clusters!.Single(c => c.Name == "prod-1");
        Assert.Equal("none", prod.DesiredRevision);
        Assert.Equal("revision 111 is not available any more", prod.Error);
    }

    [Theory]
    [InlineData(RolloutPhase.Halted)]
    [InlineData(RolloutPhase.RolledBack)]
    [InlineData(RolloutPhase.Invalid)]
    public void A_stopped_run_stalls_the_bundle(RolloutPhase phase)
    {
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(phase), Results);
        var stalled = status.Conditions!.Single(c => c.Type == "Stalled");
        Assert.Equal(("True", $"Rollout{phase}", $"phase {phase}"), (stalled.Status, stalled.Reason, stalled.Message));
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == "Reconciling").Status);
    }

    [Fact]
    public void A_completed_run_leaves_readiness_to_the_clusters_as_without_a_rollout()
    {
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(RolloutPhase.Completed), Results);
        var ready = status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "Progressing"), (ready.Status, ready.Reason));
        Assert.Equal("Completed", status.Rollout!.Phase);
    }

    [Fact]
    public void A_bundle_problem_keeps_the_rollout_state_in_status()
    {
        var problem = new BundleProblem("RenderFailed", "does not render", Stalled: true);
        var status = new BundleStatusBuilder(Bundle(), Now).Build(Target(RolloutPhase.Progressing, problem: problem), Results);
        Assert.Equal("cmd-7", status.Rollout!.LastCommandId);
        Assert.Equal("RenderFailed", status.Conditions!.Single(c => c.Type == "Ready").Reason);

        var stored = Bundle();
        stored.Status = new BundleStatus { Rollout = new BundleRolloutStatus { State = "{}", LastCommandId = "cmd-1" } };
        var restarted = Target(RolloutPhase.Progressing, problem: problem) with { Rollout = null };
        Assert.Equal("cmd-1", new BundleStatusBuilder(stored, Now).Build(restarted, Results).Rollout?.LastCommandId);
    }

    [Fact]
    public void Mid_run_the_status_of_1000_clusters_with_63_character_names_stays_under_256_KiB()
    {
        var names = Enumerable.Range(0, 1000).Select(i => $"cluster-{i:0000}-".PadRight(63, 'x')).ToList();
        // The worst case: every cluster synced and healthy on an old revision, meant for another one, and not done.
        var plan = new RolloutPlan([.. names.Select(n => new ClusterRollout(n, New, "production-eu", ClusterRolloutStatus.InFlight))],
            new RolloutState { Revision = New, LastHealthyRevision = Old, Clusters = [.. names.Take(100).Select(n => new ClusterRecord(n, Now, null))] },
            RolloutPhase.Progressing, new string('m', 5000), Now);
        var target = new BundleTarget("default/shop", 2, New, ManifestSet.Empty, new SyncPolicy(), names.ToDictionary(n => n, _ => ClusterIntent.Sync, StringComparer.Ordinal),
            OrphanOnRemove: false, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)) { Rollout = new RolloutTarget(plan, new Dictionary<string, ManifestSet>(), "cmd") };
        var synced = new SyncResult(SyncPhase.Synced, Old, 300, 0, 0, HealthStatus.Healthy, null, []);
        var status = new BundleStatusBuilder(Bundle(), Now).Build(target, names.ToDictionary(n => n, _ => (synced, Now), StringComparer.Ordinal));
        var bytes = System.Text.Encoding.UTF8.GetByteCount((string)StatusPatch.Replace(status).Content);
        Assert.True(bytes < 256 * 1024, $"status is {bytes / 1024} KiB");
        Assert.Equal(BundleStatusBuilder.MaxCountedClusters, status.Clusters!.Count(c => c.DesiredRevision == New && c.Rollout == "production-eu/InFlight"));
    }
}
