using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Kube.Cache;

namespace Flotilla.Kube.Tests.Cache;

public sealed class LiveObjectsTests
{
    private static readonly ObjectRef Web = new("apps", "v1", "Deployment", "shop", "web");

    [Fact]
    public void Health_is_judged_once_per_cached_version_and_an_absent_object_is_missing()
    {
        var rolling = new CachedObject(JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","generation":2,"resourceVersion":"7"},
             "spec":{"replicas":3},"status":{"observedGeneration":1}}
            """)!.AsObject());
        var live = new LiveObjects(new Dictionary<ObjectRef, CachedObject> { [Web] = rolling });

        var first = live.HealthOf(Web);
        Assert.Equal(HealthAssessor.Assess(live[Web]), first);
        Assert.Equal(HealthStatus.Progressing, first.Status);
        // The same judgement, not a second one: a resync of unchanged objects parses none of them for their health.
        Assert.Same(first, new LiveObjects(new Dictionary<ObjectRef, CachedObject> { [Web] = rolling }).HealthOf(Web));

        Assert.Equal(HealthStatus.Missing, live.HealthOf(Web with { Name = "gone" }).Status);
    }
}
