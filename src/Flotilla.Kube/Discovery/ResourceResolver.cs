using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Discovery;

/// <summary>
/// Finds which resource a user means by a kind name (<c>deploy</c>, <c>deployments</c>, <c>Deployment</c>,
/// <c>deployments.apps</c>) on a given server, through discovery — versions are discovered, never assumed,
/// because fleets run different Kubernetes versions (EndpointSlice is v1beta1 on 1.20, v1 later). A group whose
/// discovery fails (an aggregated API whose Service has no endpoints answers 503) hides only its own kinds.
/// </summary>
public static class ResourceResolver
{
    /// <summary>
    /// The resource, or null when the server serves no such kind. Throws <see cref="KubeApiException"/> when the kind was
    /// not found and a group it may belong to failed discovery (naming those groups).
    /// </summary>
    public static async Task<ApiResource?> ResolveAsync(Kubernetes client, string name, CancellationToken ct)
    {
        var wanted = name.ToLowerInvariant();
        string? groupFilter = null;
        var dot = wanted.IndexOf('.');
        if (dot > 0)
        {
            groupFilter = wanted[(dot + 1)..];
            wanted = wanted[..dot];
        }
        if (groupFilter is null)
        {
            var core = await FindInAsync(client, "/api/v1", "", "v1", wanted, ct);
            if (core is not null) return core;
        }
        using var groups = await GetJsonAsync(client, "/apis", ct);
        var failed = new List<string>();
        foreach (var group in groups.RootElement.GetProperty("groups").EnumerateArray())
        {
            var groupName = group.GetProperty("name").GetString()!;
            if (groupFilter is not null && groupName != groupFilter) continue;
            var preferred = group.GetProperty("preferredVersion").GetProperty("version").GetString()!;
            ApiResource? found;
            try { found = await FindInAsync(client, $"/apis/{groupName}/{preferred}", groupName, preferred, wanted, ct); }
            catch (KubeApiException e) when (groupFilter is null && e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                failed.Add($"{groupName}/{preferred} ({(int)e.StatusCode})");
                continue;
            }
            if (found is not null) return found;
        }
        if (failed.Count == 0) return null;
        var message = new JsonObject { ["message"] = $"no resource type \"{name}\" in the API groups that answered; discovery failed for {string.Join(", ", failed)}" };
        throw new KubeApiException("discovery", HttpStatusCode.ServiceUnavailable, message.ToJsonString());
    }

    private static async Task<ApiResource?> FindInAsync(Kubernetes client, string path, string group, string version, string wanted, CancellationToken ct)
    {
        using var list = await GetJsonAsync(client, path, ct);
        foreach (var resource in list.RootElement.GetProperty("resources").EnumerateArray())
        {
            var plural = resource.GetProperty("name").GetString()!;
            if (plural.Contains('/')) continue; // subresources
            var kind = resource.GetProperty("kind").GetString()!;
            var singular = resource.TryGetProperty("singularName", out var s) ? s.GetString() : null;
            var shorts = resource.TryGetProperty("shortNames", out var sn) ? sn.EnumerateArray().Select(x => x.GetString()) : [];
            if (plural == wanted || kind.ToLowerInvariant() == wanted || singular == wanted || shorts.Contains(wanted))
                return new ApiResource(group, version, kind, plural, resource.GetProperty("namespaced").GetBoolean());
        }
        return null;
    }

    private static async Task<JsonDocument> GetJsonAsync(Kubernetes client, string path, CancellationToken ct)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new KubeApiException(path, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }
}
