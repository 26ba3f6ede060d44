using System.Net;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Registry;

namespace Flotilla.Kube.Fleet;

/// <summary>What one cluster answered to a fleet-wide get: a Table or a list, or why it could not.</summary>
public sealed record ClusterAnswer(string Cluster, JsonObject? Result, string? Error);

/// <summary>
/// Lists one kind on many clusters at once: bounded parallelism and a deadline per cluster, so a dead or slow
/// member costs only its own timeout and never hides the others' answers.
/// </summary>
public sealed class FleetQuery(MemberClients clients, int parallelism, TimeSpan perClusterTimeout)
{
    /// <summary>
    /// Gets <paramref name="kind"/> (optionally one <paramref name="name"/>) in <paramref name="ns"/> (null: all namespaces)
    /// from every cluster, as server-side Tables when <paramref name="asTable"/> (kubectl's own columns) or as object lists.
    /// Lists are read whole, page by page (<see cref="PagedList"/>). Answers come back ordered by cluster name.
    /// </summary>
    public async Task<IReadOnlyList<ClusterAnswer>> GetAsync(IReadOnlyList<ClusterResource> clusters, string kind, string? name,
        string? ns, bool asTable, CancellationToken ct)
    {
        var answers = new ClusterAnswer[clusters.Count];
        await Parallel.ForAsync(0, clusters.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var cluster = clusters[i].Metadata.Name;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(perClusterTimeout);
            try
            {
                answers[i] = await GetOneAsync(clusters[i], kind, name, ns, asTable, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                answers[i] = new(cluster, null, $"Unreachable: no answer within {perClusterTimeout.TotalSeconds:0}s");
            }
            catch (HttpRequestException e)
            {
                answers[i] = new(cluster, null, e.InnerException is AuthenticationException
                    ? "Unreachable: TLS handshake failed"
                    : $"Unreachable: {e.HttpRequestError switch { HttpRequestError.ConnectionError => "connection refused or reset", var other => other.ToString() }}");
            }
            catch (InvalidCredentialsException e)
            {
                answers[i] = new(cluster, null, $"InvalidCredentials: {e.Message}");
            }
            catch (KubeApiException e)
            {
                var reason = e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? "AuthFailed" : "Error";
                answers[i] = new(cluster, null, $"{reason}: {e.Message}");
            }
        });
        return answers.OrderBy(a => a.Cluster, StringComparer.Ordinal).ToList();
    }

    private async Task<ClusterAnswer> GetOneAsync(ClusterResource cluster, string kind, string? name, string? ns, bool asTable, CancellationToken ct)
    {
        var clusterName = cluster.Metadata.Name;
        var client = await clients.GetAsync(cluster, ct);
        var resource = await ResourceResolver.ResolveAsync(client, kind, ct);
        if (resource is null) return new(clusterName, null, $"NotFound: the server doesn't have a resource type \"{kind}\"");
        if (name is null) return new(clusterName, await client.GetAllAsync(resource.CollectionPath(ns), resource.Plural, asTable, ct), null);
        using var response = await client.SendAsync(HttpMethod.Get, resource.ObjectPath(ns ?? "default", name), ct, asTable: asTable);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return new(clusterName, null, $"NotFound: {resource.Kind.ToLowerInvariant()} \"{name}\" not found");
        if (!response.IsSuccessStatusCode) throw new KubeApiException($"{resource.Plural}", response.StatusCode, body);
        return new(clusterName, JsonNode.Parse(body)!.AsObject(), null);
    }
}
