using System.Net;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

public sealed class DynamicClientDiscoveryTests
{
    /// <summary>Answers each discovery read of <c>/apis/example.io/v1</c> with the next kinds list; counts reads.</summary>
    private sealed class DiscoveryHandler(params string[][] answers) : DelegatingHandler
    {
        public int Reads { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Assert.Equal("/apis/example.io/v1", request.RequestUri!.AbsolutePath);
            var kinds = answers[Math.Min(Reads++, answers.Length - 1)];
            var resources = string.Join(",", kinds.Select(k => $$"""{"name":"{{k.ToLowerInvariant()}}s","kind":"{{k}}","namespaced":true}"""));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"resources":[{{resources}}]}""") });
        }
    }

    private static (DynamicClient Client, DiscoveryHandler Handler) Create(params string[][] answers)
    {
        var handler = new DiscoveryHandler(answers);
        return (new DynamicClient(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, handler)), handler);
    }

    [Fact]
    public async Task A_resolved_kind_is_answered_from_memory_with_the_same_completed_task()
    {
        var (client, handler) = Create(["Widget", "Gadget"]);
        Assert.Equal("widgets", (await client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None))!.Plural);
        var again = client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None);
        Assert.True(again.IsCompletedSuccessfully);
        Assert.Same(again, client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None));
        Assert.Equal("gadgets", (await client.ResourceForAsync("example.io/v1", "Gadget", CancellationToken.None))!.Plural);
        Assert.Equal(1, handler.Reads);
    }

    [Fact]
    public async Task A_group_version_read_again_for_a_new_kind_forgets_kinds_it_no_longer_serves()
    {
        // First answer: Widget; second (read because Gadget is new): Gadget only, Widget's CRD having gone.
        var (client, handler) = Create(["Widget"], ["Gadget"]);
        Assert.NotNull(await client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None));
        Assert.NotNull(await client.ResourceForAsync("example.io/v1", "Gadget", CancellationToken.None));
        Assert.Equal(2, handler.Reads);
        Assert.Null(await client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None));
    }

    [Fact]
    public async Task Invalidated_discovery_is_read_again()
    {
        var (client, handler) = Create(["Widget"], ["Widget"]);
        await client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None);
        client.InvalidateDiscovery();
        Assert.NotNull(await client.ResourceForAsync("example.io/v1", "Widget", CancellationToken.None));
        Assert.Equal(2, handler.Reads);
    }
}
