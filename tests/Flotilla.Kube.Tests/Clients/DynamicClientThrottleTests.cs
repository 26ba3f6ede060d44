using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

public sealed class DynamicClientThrottleTests
{
    /// <summary>Answers from a script, never touching the network; counts requests.</summary>
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : DelegatingHandler
    {
        public int Requests { get; private set; }

        /// <summary>Each request's body and content type, as sent.</summary>
        public List<(string Body, string? Type)> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.Content is { } content) Sent.Add((await content.ReadAsStringAsync(ct), content.Headers.ContentType?.ToString()));
            return answers[Math.Min(Requests++, answers.Length - 1)]();
        }
    }

    private static HttpResponseMessage Throttled() => new(HttpStatusCode.TooManyRequests)
    {
        Content = new StringContent("""{"kind":"Status","message":"too many requests"}"""),
        Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero) },
    };

    private static HttpResponseMessage Applied() => new(HttpStatusCode.OK)
    {
        Content = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"}}"""),
    };

    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    // A value beyond ASCII and with characters JSON writers escape: the bytes sent must be what ToJsonString writes.
    private static readonly JsonObject Body = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"},"data":{"k":"é<&'"}}""")!.AsObject();

    private static (DynamicClient Client, ScriptedHandler Handler) Create(int retries, params Func<HttpResponseMessage>[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var kube = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, handler);
        return (new DynamicClient(kube, retries), handler);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_servers_Retry_After_and_then_succeeds()
    {
        var (client, handler) = Create(5, Throttled, Throttled, Applied);
        var result = await client.ApplyAsync(ConfigMaps, Body, dryRun: false, force: false, CancellationToken.None);
        Assert.Equal("a", result["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(3, handler.Requests);
        Assert.Equal(3, client.Writes);
        // Every attempt carries the whole object again, as server-side apply expects it.
        Assert.Equal(3, handler.Sent.Count);
        Assert.All(handler.Sent, sent =>
        {
            Assert.Equal(Body.ToJsonString(), sent.Body);
            Assert.Equal("application/apply-patch+yaml", sent.Type);
        });
    }

    [Fact]
    public async Task Endless_throttling_gives_up_with_a_429_naming_the_object()
    {
        var (client, handler) = Create(2, Throttled);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ApplyAsync(ConfigMaps, Body, dryRun: true, force: false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("ConfigMap/x/a dry-run", error.Message);
        Assert.Equal(3, handler.Requests);
        Assert.Equal(0, client.Writes); // dry-runs are not writes
    }
}
