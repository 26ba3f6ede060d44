using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using k8s;

namespace Flotilla.Kube.Tests.Cache;

public sealed class MemberObjectCacheTests
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    private static readonly ApiResource Deployments = new("apps", "v1", "Deployment", "deployments", true);

    /// <summary>Lists a kind's managed objects (resourceVersion 1 each) and then holds every watch open, quiet.</summary>
    private sealed class QuietMember(Dictionary<string, string[]> names) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.RequestUri.Query.Contains("watch=1"))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            var (apiVersion, kind) = path.Contains("/deployments") ? ("apps/v1", "Deployment") : ("v1", "ConfigMap");
            var items = names[kind].Select(n => "{\"metadata\":{\"name\":\"" + n + "\",\"namespace\":\"shop\",\"resourceVersion\":\"1\",\"labels\":{\"flotilla.io/managed-by\":\"flotilla\"}}}");
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}List","metadata":{"resourceVersion":"5"},"items":[{{string.Join(",", items)}}]}"""),
            };
        }
    }

    private static ObjectRef Ref(string group, string version, string kind, string name) => new(group, version, kind, "shop", name);

    [Fact]
    public async Task A_view_of_some_kinds_finds_their_objects_by_identity_and_sees_later_writes_without_a_new_view()
    {
        var member = new QuietMember(new() { ["ConfigMap"] = ["a", "b"], ["Deployment"] = ["web"] });
        using var cache = new MemberObjectCache(new DynamicClient(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, member)));
        await cache.EnsureAsync([ConfigMaps, Deployments], CancellationToken.None);

        var live = (LiveObjects)cache.Live([ConfigMaps]);
        Assert.True(live.ContainsKey(Ref("", "v1", "ConfigMap", "a")));
        Assert.Equal("1", live.VersionOf(Ref("", "v1", "ConfigMap", "b")));
        Assert.False(live.ContainsKey(Ref("apps", "v1", "Deployment", "web"))); // a kind not asked for
        Assert.False(live.ContainsKey(Ref("", "v1", "Secret", "a")));           // same name, another kind
        Assert.Equal(2, live.Count);

        // The hub's own write reaches the view it already holds; identity ignores the version asked for.
        cache.Observe(ConfigMaps, JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"shop","resourceVersion":"7","labels":{"flotilla.io/managed-by":"flotilla"}}}""")!.AsObject());
        Assert.Equal("7", live.VersionOf(Ref("", "v1", "ConfigMap", "c")));
        Assert.Equal("web", cache.Live([Deployments, ConfigMaps])[Ref("apps", "v1beta1", "Deployment", "web")]["metadata"]!["name"]!.GetValue<string>());
    }
}
