using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;

namespace Flotilla.Integration.Tests;

/// <summary>Creates GitRepositories and Bundles on the hub and reads their status, for GitOps tests.</summary>
public sealed class HubObjects(Kubernetes hub, string ns)
{
    public string Namespace => ns;

    public async Task EnsureNamespaceAsync()
    {
        try { await hub.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } }); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
    }

    public Task ApplyAsync(string plural, JsonObject obj) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(obj.ToJsonString(), V1Patch.PatchType.ApplyPatch),
            FlotillaApi.Group, FlotillaApi.Version, ns, plural, obj["metadata"]!["name"]!.GetValue<string>(), fieldManager: "test", force: true);

    public Task SourceAsync(string name, string url, string? secret = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = "1m", ["ref"] = new JsonObject { ["branch"] = "main" } };
        if (secret is not null) spec["secretRef"] = new JsonObject { ["name"] = secret };
        return ApplyAsync(GitRepositoryResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
    }

    public Task BundleAsync(string name, string source, string path, JsonObject? sync = null, JsonObject? selector = null) => ApplyAsync(BundleResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = source },
            ["path"] = path,
            ["sync"] = sync ?? new JsonObject(),
            ["placement"] = new JsonObject { ["clusterSelector"] = selector ?? new JsonObject() },
        },
    });

    public async Task<BundleResource> BundleStatusAsync(string name) =>
        KubeJson.As<BundleResource>(await hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, name));

    /// <summary>Asks the hub to fetch the source now (as <c>flotilla reconcile source</c> does).</summary>
    public Task RequestFetchAsync(string source) =>
        hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["flotilla.io/reconcile-requested-at"] = DateTimeOffset.UtcNow.ToString("O") } },
            }.ToJsonString(), V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, ns, GitRepositoryResource.Plural, source);

    public Task DeleteBundleAsync(string name) =>
        hub.CustomObjects.DeleteNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, name);

    /// <summary>The Bundle, or null once it is gone (its finalizer released).</summary>
    public async Task<BundleResource?> FindBundleAsync(string name)
    {
        try { return await BundleStatusAsync(name); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    /// <summary>
    /// Each cluster's <c>lastSyncTime</c> now, once the clock has passed the latest of them by a second: the field has
    /// whole seconds, so a resync in the same second as the last sync would not show as later.
    /// </summary>
    public async Task<Dictionary<string, DateTimeOffset?>> LastSyncTimesAsync(string bundle)
    {
        var times = (await BundleStatusAsync(bundle)).Status!.Clusters!.ToDictionary(c => c.Name, c => c.LastSyncTime);
        var wait = times.Values.Max()!.Value.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        return times;
    }

    /// <summary>True when every listed cluster has applied <paramref name="revision"/> in phase Synced.</summary>
    public async Task<bool> SyncedAsync(string bundle, string revision, IEnumerable<string> clusters)
    {
        var status = (await BundleStatusAsync(bundle)).Status;
        return clusters.All(c => status?.Clusters?.FirstOrDefault(x => x.Name == c) is { Phase: "Synced" } e && e.AppliedRevision == revision);
    }
}
