using System.Collections.Immutable;

namespace Flotilla.Bench.Sync;

/// <summary>One kind of request an API server counts in <c>apiserver_request_total</c>.</summary>
public sealed record RequestKey(string Verb, string Group, string Resource, string Subresource, string DryRun)
{
    public override string ToString() =>
        $"{Verb}{(DryRun.Length > 0 ? " (dry-run)" : "")} {(Resource.Length > 0 ? (Group.Length > 0 ? $"{Resource}.{Group}" : Resource) : "")}{(Subresource.Length > 0 ? (Resource.Length > 0 ? "/" : "") + Subresource : "")}";
}

/// <summary>
/// Requests counted by members' own API servers (<c>apiserver_request_total</c>, summed over response codes), and the
/// rules that say whose they are. A member's counter has no user label, so the member's own background is told apart
/// by what it touches: its controller manager's leader election and reactions to Deployments (leases, events,
/// endpoints, ReplicaSets, pods, status updates), and the API server's own bootstrap controller, which reads the
/// <c>default</c> namespace and the <c>kubernetes</c> Service every 10 s (seen with no hub running: GET namespaces and
/// GET services, one each per member per 10 s) and its priority-and-fairness configuration keeper (GETs of flowschemas
/// and prioritylevelconfigurations, seen in the first minutes after start). This benchmark's scrapes of /metrics and watch streams are left out.
/// </summary>
public sealed class RequestCounts(ImmutableDictionary<RequestKey, long> counts)
{
    private static readonly ImmutableHashSet<string> BackgroundResources =
        ["leases", "events", "endpoints", "endpointslices", "replicasets", "pods"];

    public static RequestCounts Empty { get; } = new(ImmutableDictionary<RequestKey, long>.Empty);

    public IReadOnlyDictionary<RequestKey, long> ByKey => counts;

    /// <summary>What the member received between <paramref name="before"/> and now.</summary>
    public RequestCounts Since(RequestCounts before) =>
        new(counts.Select(c => (c.Key, Count: c.Value - before.ByKey.GetValueOrDefault(c.Key)))
            .Where(c => c.Count != 0).ToImmutableDictionary(c => c.Key, c => c.Count));

    public RequestCounts Plus(RequestCounts other) =>
        new(counts.Keys.Union(other.ByKey.Keys)
            .ToImmutableDictionary(k => k, k => counts.GetValueOrDefault(k) + other.ByKey.GetValueOrDefault(k)));

    /// <summary>Requests a client sent (no watch streams, no scrapes of /metrics, none of the member's own background).</summary>
    public long Clients(bool withProbe = true) => counts.Where(c => IsClient(c.Key) && (withProbe || !IsProbe(c.Key))).Sum(c => c.Value);

    /// <summary>Of <see cref="Clients"/>, the writes (dry-runs not counted as writes).</summary>
    public long Writes => counts.Where(c => IsClient(c.Key) && IsWrite(c.Key) && c.Key.DryRun.Length == 0).Sum(c => c.Value);

    /// <summary>Of <see cref="Clients"/>, the dry-runs.</summary>
    public long DryRuns => counts.Where(c => IsClient(c.Key) && c.Key.DryRun.Length > 0).Sum(c => c.Value);

    /// <summary>Of <see cref="Clients"/>, the reads (get, list, discovery, health endpoints).</summary>
    public long Reads => counts.Where(c => IsClient(c.Key) && !IsWrite(c.Key)).Sum(c => c.Value);

    /// <summary>The hub's health probe: /readyz, /version and a list of nodes, every 10 s.</summary>
    public long Probe => counts.Where(c => IsClient(c.Key) && IsProbe(c.Key)).Sum(c => c.Value);

    /// <summary>"APPLY configmaps 12, GET /version 3, …", the client requests by kind, most first.</summary>
    public string Breakdown(bool clientsOnly = true) => string.Join(", ", counts
        .Where(c => !clientsOnly || IsClient(c.Key)).OrderByDescending(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal)
        .Select(c => $"{c.Key} {c.Value}"));

    public static bool IsClient(RequestKey key) =>
        key.Verb != "WATCH" && key.Subresource != "/metrics" && key.Subresource != "status" && !BackgroundResources.Contains(key.Resource)
        && !(key is { Verb: "GET", Group: "", Resource: "namespaces" or "services", Subresource: "" })
        && key.Group != "flowcontrol.apiserver.k8s.io";

    public static bool IsProbe(RequestKey key) =>
        key.Subresource is "/readyz" or "/version" || (key is { Verb: "LIST", Resource: "nodes" });

    private static bool IsWrite(RequestKey key) => key.Verb is "APPLY" or "PATCH" or "CREATE" or "UPDATE" or "DELETE" or "DELETECOLLECTION" or "POST" or "PUT";
}
