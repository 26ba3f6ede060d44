using System.Net;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using k8s;

namespace Flotilla.Kube.Tests.Discovery;

/// <summary>Kind names resolved through discovery on a server where one aggregated API group is unavailable (503).</summary>
public sealed class ResourceResolverTests
{
    /// <summary>A server with ConfigMaps, an unavailable group listed first (highest priority), then apps.</summary>
    private sealed class DiscoveryHandler : DelegatingHandler
    {
        private static readonly Dictionary<string, (HttpStatusCode Code, string Body)> Answers = new(StringComparer.Ordinal)
        {
            ["/api/v1"] = (HttpStatusCode.OK, """{"resources":[{"name":"configmaps","kind":"ConfigMap","namespaced":true,"shortNames":["cm"]}]}"""),
            ["/apis"] = (HttpStatusCode.OK, """{"groups":[{"name":"broken.example.io","preferredVersion":{"version":"v1"}},{"name":"apps","preferredVersion":{"version":"v1"}}]}"""),
            ["/apis/broken.example.io/v1"] = (HttpStatusCode.ServiceUnavailable, """{"kind":"Status","message":"service unavailable","reason":"ServiceUnavailable","code":503}"""),
            ["/apis/apps/v1"] = (HttpStatusCode.OK, """{"resources":[{"name":"deployments","kind":"Deployment","namespaced":true,"shortNames":["deploy"]},{"name":"deployments/scale","kind":"Scale","namespaced":true}]}"""),
        };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var (code, body) = Answers.GetValueOrDefault(request.RequestUri!.AbsolutePath, (HttpStatusCode.NotFound, """{"kind":"Status","reason":"NotFound"}"""));
            return Task.FromResult(new HttpResponseMessage(code) { Content = new StringContent(body) });
        }
    }

    private static readonly Kubernetes Server = new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, new DiscoveryHandler());

    [Theory]
    [InlineData("deployments")]
    [InlineData("deploy")]
    [InlineData("Deployment")]
    [InlineData("deployments.apps")]
    public async Task A_kind_of_a_group_that_answers_is_found_past_a_group_that_fails(string name)
    {
        var resource = await ResourceResolver.ResolveAsync(Server, name, CancellationToken.None);

        Assert.Equal(new ApiResource("apps", "v1", "Deployment", "deployments", true), resource);
    }

    [Fact]
    public async Task A_kind_found_nowhere_while_a_group_failed_is_an_error_naming_that_group_not_a_missing_kind()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() => ResourceResolver.ResolveAsync(Server, "gizmos", CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("discovery failed for broken.example.io/v1 (503)", error.Message);
    }

    [Fact]
    public async Task A_kind_asked_for_in_the_failing_group_reports_that_groups_answer()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() => ResourceResolver.ResolveAsync(Server, "gizmos.broken.example.io", CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("/apis/broken.example.io/v1", error.Message);
    }

    [Fact]
    public async Task A_kind_no_group_serves_is_null_when_every_group_answered()
    {
        Assert.Null(await ResourceResolver.ResolveAsync(Server, "gizmos.apps", CancellationToken.None));
        Assert.Equal("ConfigMap", (await ResourceResolver.ResolveAsync(Server, "cm", CancellationToken.None))!.Kind);
    }
}
