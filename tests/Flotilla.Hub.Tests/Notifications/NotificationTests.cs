using System.Text;
using System.Text.Json.Nodes;
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
