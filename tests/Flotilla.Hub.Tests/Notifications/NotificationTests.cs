using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Core.Rollout;
using Flotilla.Hub.Notifications;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Hub.Tests.Notifications;

public class NotificationTests
{
    private static BundleResource Bundle(string? phase, string? message = null, params BundleClusterStatus[] clusters) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "apps" },
        Status = new BundleStatus
        {
            DesiredRevision = "r2",
            Rollout = phase is null ? null : new BundleRolloutStatus { Phase = phase, Message = message, TargetRevision = "r2" },
            Clusters = [.. clusters],
        },
    };

    private static BundleClusterStatus Entry(string name, string phase, string? drift = null) => new() { Name = name, Phase = phase, Drift = drift };

    [Theory]
    [InlineData("Progressing", "Halted", NoticeKind.RolloutFailed)]
    [InlineData("Progressing", "RolledBack", NoticeKind.RolloutFailed)]
    [InlineData("Progressing", "Paused", NoticeKind.RolloutPaused)]
    [InlineData("Progressing", "AwaitingApproval", NoticeKind.RolloutAwaitingApproval)]
    [InlineData("AwaitingApproval", "Completed", NoticeKind.RolloutCompleted)]
    [InlineData(null, "Progressing", NoticeKind.RolloutProgressing)]
    public void A_rollout_entering_a_phase_is_a_notice(string? before, string after, NoticeKind expected)
    {
        var notice = Assert.Single(NoticeDetector.ForBundle(Bundle(before), Bundle(after, "stage dev")));
        Assert.Equal(expected, notice.Kind);
        Assert.Equal("r2", notice.Revision);
        Assert.Contains("stage dev", notice.Message);
    }

    [Fact]
    public void Nothing_is_reported_for_a_first_sighting_or_an_unchanged_bundle()
    {
        Assert.Empty(NoticeDetector.ForBundle(null, Bundle("Halted", "x", Entry("a", "Failed"))));
        Assert.Empty(NoticeDetector.ForBundle(Bundle("Halted", "x", Entry("a", "Failed")), Bundle("Halted", "x", Entry("a", "Failed"))));
    }

    private static BundleResource AtStage(string revision, int stage, params StageSummary[] stages)
    {
        var bundle = Bundle("Progressing", "m");
        bundle.Status!.Rollout!.TargetRevision = revision;
        bundle.Status.Rollout.State = new RolloutState { Revision = revision, Stage = stage, Stages = [.. stages] }.ToJson();
        return bundle;
    }

    [Fact]
    public void A_stage_starting_and_completing_is_a_notice_once()
    {
        StageSummary Dev(int done) => new("dev", 1, done, 0);
        StageSummary Prod(int done, int failed = 0) => new("prod", 3, done, failed);
        var atDev = AtStage("r2", 0, Dev(0), Prod(0));
        var devHalf = AtStage("r2", 0, Dev(0), Prod(0));
        var atProd = AtStage("r2", 1, Dev(1), Prod(0));
        var prodMoving = AtStage("r2", 1, Dev(1), Prod(2));
        var done = AtStage("r2", 2, Dev(1), Prod(2, failed: 1));

        Assert.Empty(NoticeDetector.ForBundle(atDev, devHalf));
        var moved = NoticeDetector.ForBundle(devHalf, atProd);
        Assert.Equal([NoticeKind.RolloutStageCompleted, NoticeKind.RolloutStageStarted], moved.Select(n => n.Kind));
        Assert.Equal("stage dev completed: 1 of 1 clusters on r2", moved[0].Message);
        Assert.Equal("stage prod started (2 of 2): 3 clusters to move to r2", moved[1].Message);
        Assert.All(moved, n => Assert.Equal("r2", n.Revision));
        Assert.Empty(NoticeDetector.ForBundle(atProd, prodMoving));
        var completed = Assert.Single(NoticeDetector.ForBundle(prodMoving, done));
        Assert.Equal("stage prod completed: 2 of 3 clusters on r2, 1 failed", completed.Message);
        Assert.False(completed.IsWarning);
        Assert.False(completed.IsNotifiable);
    }

    [Fact]
    public void A_new_target_revision_is_a_new_run_whose_first_stage_starts()
    {
        var oldRun = AtStage("r1", 2, new("dev", 1, 1, 0), new("prod", 3, 3, 0));
        var newRun = AtStage("r2", 0, new("dev", 1, 0, 0), new("prod", 3, 0, 0));
        var started = Assert.Single(NoticeDetector.ForBundle(oldRun, newRun), n => n.Kind != NoticeKind.RolloutProgressing);
        Assert.Equal(NoticeKind.RolloutStageStarted, started.Kind);
        Assert.StartsWith("stage dev started (1 of 2)", started.Message);
        // A state this hub cannot read (another version's) gives no stage notices rather than wrong ones.
        var unreadable = AtStage("r2", 1, new("dev", 1, 1, 0), new("prod", 3, 0, 0));
        unreadable.Status!.Rollout!.State = "{\"version\":99}";
        Assert.Empty(NoticeDetector.ForBundle(newRun, unreadable));
    }

    [Fact]
    public void The_implicit_stage_for_unmatched_clusters_counts_only_when_it_has_clusters()
    {
        var atProd = AtStage("r2", 1, new("dev", 1, 1, 0), new("prod", 1, 0, 0), new("(unmatched)", 0, 0, 0));
        var done = AtStage("r2", 3, new("dev", 1, 1, 0), new("prod", 1, 1, 0), new("(unmatched)", 0, 0, 0));
        Assert.Equal(["stage prod completed: 1 of 1 clusters on r2"],
            NoticeDetector.ForBundle(atProd, done).Where(n => n.Kind == NoticeKind.RolloutStageCompleted).Select(n => n.Message));
        var atDev = AtStage("r2", 0, new("dev", 1, 0, 0), new("prod", 1, 0, 0), new("(unmatched)", 2, 0, 0));
        var leftOver = AtStage("r2", 2, new("dev", 1, 1, 0), new("prod", 1, 1, 0), new("(unmatched)", 2, 0, 0));
        Assert.Contains(NoticeDetector.ForBundle(atDev, leftOver), n => n.Message.StartsWith("stage (unmatched) started (3 of 3): 2 clusters", StringComparison.Ordinal));
    }

    [Fact]
    public void Newly_failed_and_newly_drifted_clusters_are_named()
    {
        var notices = NoticeDetector.ForBundle(
            Bundle(null, null, Entry("a", "Synced"), Entry("b", "Failed"), Entry("c", "Synced")),
            Bundle(null, null, Entry("a", "Failed"), Entry("b", "Failed"), Entry("c", "Synced", drift: "ConfigMap/x changed by kubectl")));
        Assert.Equal([NoticeKind.SyncFailed, NoticeKind.Drift], notices.Select(n => n.Kind));
        Assert.Equal(["a"], notices[0].Clusters);
        Assert.Equal(["c"], notices[1].Clusters);
    }

    [Fact]
    public void A_member_whose_credentials_are_rejected_or_that_comes_back_is_a_cluster_notice()
    {
        ClusterResource C(string status, string reason) => new()
        {
            Metadata = new V1ObjectMeta { Name = "m1" },
            Status = new ClusterStatus { Conditions = [new StatusCondition { Type = "Available", Status = status, Reason = reason, Message = "m" }] },
        };
        Assert.Equal(NoticeKind.ClusterCredentialsRejected, Assert.Single(NoticeDetector.ForCluster(C("True", "Ready"), C("False", "AuthFailed"))).Kind);
        Assert.Equal(NoticeKind.ClusterUnreachable, Assert.Single(NoticeDetector.ForCluster(C("True", "Ready"), C("False", "Unreachable"))).Kind);
        Assert.Equal(NoticeKind.ClusterAvailable, Assert.Single(NoticeDetector.ForCluster(C("False", "Unreachable"), C("True", "Ready"))).Kind);
        Assert.Empty(NoticeDetector.ForCluster(C("True", "Ready"), C("True", "Ready")));
    }

    [Fact]
    public void Bodies_are_generic_json_or_slack_text_and_the_signature_is_the_hmac_of_the_exact_bytes()
    {
        var notice = new FleetNotice(NoticeKind.RolloutFailed, "Bundle", "apps", "web", "0123456789abcdef0123", "rollout Halted: dev failed", ["m1"]);
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var generic = JsonNode.Parse(NotificationPayload.Body(notice, "Generic", at))!;
        Assert.Equal("RolloutFailed", generic["type"]!.GetValue<string>());
        Assert.Equal("apps", generic["namespace"]!.GetValue<string>());
        Assert.Equal("m1", generic["clusters"]![0]!.GetValue<string>());
        var slack = JsonNode.Parse(NotificationPayload.Body(notice, "Slack", at))!;
        Assert.Equal("*RolloutFailed* Bundle `apps/web` at `0123456789ab`: rollout Halted: dev failed", slack["text"]!.GetValue<string>());
        // Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            NotificationPayload.Sign(Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"), Encoding.UTF8.GetBytes("key")));
    }

    [Fact]
    public async Task The_sender_retries_a_503_with_backoff_and_delivers_the_signature()
    {
        using var receiver = new WebhookReceiver(failFirst: 2);
        using var http = new HttpClient();
        var sender = new WebhookSender(http, TimeProvider.System) { FirstRetry = TimeSpan.FromMilliseconds(50) };
        var (delivered, tries, failure) = await sender.SendAsync(receiver.Url, "{\"a\":1}"u8.ToArray(), "sha256=abc", CancellationToken.None);
        Assert.True(delivered, failure);
        Assert.Equal(3, tries);
        var (body, signature) = Assert.Single(receiver.Received);
        Assert.Equal("{\"a\":1}", body);
        Assert.Equal("sha256=abc", signature);
    }

    [Fact]
    public async Task The_sender_gives_up_after_its_attempts_and_says_why()
    {
        using var receiver = new WebhookReceiver(failFirst: 100);
        using var http = new HttpClient();
        var sender = new WebhookSender(http, TimeProvider.System) { FirstRetry = TimeSpan.FromMilliseconds(10), Attempts = 3 };
        var (delivered, tries, failure) = await sender.SendAsync(receiver.Url, [], null, CancellationToken.None);
        Assert.False(delivered);
        Assert.Equal((3, "HTTP 503", 3), (tries, failure, receiver.Requests));
    }
}
