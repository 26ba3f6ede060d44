using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Hub.Notifications;
using Flotilla.Hub.Tests.Notifications;
using Flotilla.Kube.Api;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A rollout that fails on the real fleet (a Deployment the simulator never lets turn healthy, next to a Secret) is
/// sent by the hub to two real loopback receivers — Flotilla's JSON and a Slack body — signed with the
/// Notification's HMAC key, retried after the receiver's first 503, and the Secret's value is in neither.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class NotificationWebhookTests(FleetFixture fleet)
{
    private const string Ns = "dash-notify";
    private const string SecretValue = "TOP-SECRET-do-not-send-4711";
    private static readonly byte[] HmacKey = Encoding.UTF8.GetBytes("hook-signing-key-for-the-test");

    [Fact]
    public async Task A_failed_rollout_reaches_the_webhooks_signed_retried_and_without_the_secret()
    {
        using var generic = new WebhookReceiver(failFirst: 1);
        using var slack = new WebhookReceiver();
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "hook-key", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]> { ["hmacKey"] = HmacKey },
        }, Ns);
        JsonObject Notification(string name, string url, string format) => new()
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Notification",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["url"] = url, ["format"] = format, ["secretRef"] = new JsonObject { ["name"] = "hook-key" }, ["events"] = new JsonArray("RolloutFailed") },
        };
        await hub.ApplyAsync(FlotillaApi.NotificationPlural, Notification("generic", generic.Url, "Generic"));
        await hub.ApplyAsync(FlotillaApi.NotificationPlural, Notification("slack", slack.Url, "Slack"));

        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var revision = repo.Commit(new Dictionary<string, string>
        {
            ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n",
            ["app/secret.yaml"] = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-credentials\n  namespace: {Ns}\nstringData:\n  password: {SecretValue}\n",
            ["app/deploy.yaml"] = $$$"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: {{{Ns}}}
                  annotations: {flotilla.io/simulate: fail}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: "registry.example.com/web:1", env: [{name: PASSWORD, value: "{{{SecretValue}}}"}]}]
                """,
        });
        await hub.SourceAsync("repo", repo.Url);
        await hub.ApplyAsync(BundleResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
            ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["sourceRef"] = new JsonObject { ["name"] = "repo" }, ["path"] = "app",
                ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject() },
                ["rollout"] = new JsonObject
                {
                    ["strategy"] = "Staged", ["progressDeadline"] = "20s", ["onFailure"] = "Pause",
                    ["stages"] = new JsonArray(Stage("dev"), Stage("staging"), Stage("prod")),
                },
            },
        });
        await WaitPhaseAsync(hub, "app", revision, "Halted", TimeSpan.FromSeconds(120), "the rollout halts on dev");
        await Eventually.WaitAsync(() => Task.FromResult(!generic.Received.IsEmpty && !slack.Received.IsEmpty), TimeSpan.FromSeconds(30),
            "both receivers got the failure", () => Task.FromResult(File.Exists(fleet.HubLog) ? string.Join('\n', File.ReadLines(fleet.HubLog).Where(l => l.Contains("notification")).TakeLast(10)) : ""));

        Assert.True(generic.Requests >= 2, "the first try got a 503 and was retried");
        var (body, signature) = Assert.Single(generic.Received);
        Assert.Equal(NotificationPayload.Sign(Encoding.UTF8.GetBytes(body), HmacKey), signature);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("RolloutFailed", json["type"]!.GetValue<string>());
        Assert.Equal("app", json["name"]!.GetValue<string>());
        Assert.Equal(revision, json["revision"]!.GetValue<string>());
        Assert.Contains("member-1", json["clusters"]!.AsArray().Select(c => c!.GetValue<string>()));
        var (slackBody, slackSignature) = Assert.Single(slack.Received);
        Assert.Equal(NotificationPayload.Sign(Encoding.UTF8.GetBytes(slackBody), HmacKey), slackSignature);
        Assert.StartsWith("*RolloutFailed* Bundle `dash-notify/app`", JsonNode.Parse(slackBody)!["text"]!.GetValue<string>());
        foreach (var sent in new[] { body, slackBody })
        {
            Assert.DoesNotContain(SecretValue, sent);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)), sent);
        }
        Assert.Contains((await fleet.Hub.CoreV1.ListNamespacedEventAsync(Ns)).Items, e => e.InvolvedObject.Name == "app" && e.Reason == "RolloutFailed" && e.Type == "Warning");
    }
}
