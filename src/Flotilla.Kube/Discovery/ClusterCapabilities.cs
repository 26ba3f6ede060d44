using System.Net;
using System.Text.Json;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Discovery;

/// <summary>
/// What a member's API server says it serves, as <c>helm template --kube-version/--api-versions</c> takes it: its
/// version (<c>/version</c>'s gitVersion) and every served <c>group/version</c> and <c>group/version/Kind</c> (legacy
/// discovery, every version of every group, as <c>kubectl api-versions</c> lists them). A group version whose discovery
/// fails (an aggregated API without endpoints answers 503) is still listed, without its kinds.
/// </summary>
public sealed record ClusterCapabilities(string KubeVersion, IReadOnlyList<string> ApiVersions)
{
    /// <summary>What <see cref="FingerprintAsync"/> answered when these were discovered (empty when unknown).</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>
    /// The served group versions and the server version only (three small requests): what changes when a CRD or an
    /// aggregated API comes or goes, or the cluster is upgraded, so a cache knows when to discover again.
    /// </summary>
    public static async Task<string> FingerprintAsync(Kubernetes client, CancellationToken ct)
    {
        var parts = new List<string>();
        using (var version = await GetJsonAsync(client, "/version", ct)) parts.Add(version.RootElement.GetProperty("gitVersion").GetString() ?? "");
        using (var core = await GetJsonAsync(client, "/api", ct)) parts.AddRange(core.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!));
        using (var groups = await GetJsonAsync(client, "/apis", ct))
        {
            foreach (var group in groups.RootElement.GetProperty("groups").EnumerateArray())
                parts.AddRange(group.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("groupVersion").GetString()!));
        }

        return string.Join(",", parts.Order(StringComparer.Ordinal));
    }

    /// <summary>Asks <paramref name="client"/>'s server.</summary>
    /// <exception cref="KubeApiException">The server refused /version, /api or /apis.</exception>
    public static async Task<ClusterCapabilities> DiscoverAsync(Kubernetes client, CancellationToken ct)
    {
        string version;
        using (var versionDocument = await GetJsonAsync(client, "/version", ct))
            version = versionDocument.RootElement.GetProperty("gitVersion").GetString() ?? "";
        var groupVersions = new List<string>();
        using (var core = await GetJsonAsync(client, "/api", ct))
            groupVersions.AddRange(core.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!));
        using (var groups = await GetJsonAsync(client, "/apis", ct))
        {
            foreach (var group in groups.RootElement.GetProperty("groups").EnumerateArray())
                groupVersions.AddRange(group.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("groupVersion").GetString()!));
        }

        var apiVersions = new List<string>(groupVersions);
        foreach (var groupVersion in groupVersions)
        {
            var path = groupVersion.Contains('/') ? $"/apis/{groupVersion}" : $"/api/{groupVersion}";
            try
            {
                using var resources = await GetJsonAsync(client, path, ct);
                apiVersions.AddRange(resources.RootElement.GetProperty("resources").EnumerateArray()
                    .Where(r => !r.GetProperty("name").GetString()!.Contains('/'))
                    .Select(r => $"{groupVersion}/{r.GetProperty("kind").GetString()}"));
            }
            catch (KubeApiException e) when (e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                // This group's kinds stay unknown; the group version itself is still served.
            }
        }

        return new ClusterCapabilities(version, apiVersions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray())
        {
            Fingerprint = string.Join(",", groupVersions.Append(version).Order(StringComparer.Ordinal)),
        };
    }

    private static async Task<JsonDocument> GetJsonAsync(Kubernetes client, string path, CancellationToken ct)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new KubeApiException(path, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }
}
