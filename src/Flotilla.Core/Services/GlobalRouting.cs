using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Services;

/// <summary>One member's candidate for a global name: its region, load-balancer addresses and why it may not serve.</summary>
public sealed record RoutingCandidate(string Cluster, string? Region, bool Available, bool IsLoadBalancer, ImmutableArray<string> Addresses, int ReadyEndpoints);

/// <summary>One member as the GlobalEndpoint lists it: healthy or not (and why), with its weight.</summary>
public sealed record RoutingTarget(string Cluster, string Region, ImmutableArray<string> Addresses, int Weight, bool Healthy, string Reason);

/// <summary>
/// Health-aware global routing for an exported LoadBalancer Service (pure): a member serves the global name while its
/// Cluster is Available, its Service is of type LoadBalancer with an address, and it has a ready endpoint. The DNS
/// record (external-dns's <c>DNSEndpoint</c>) carries the healthy members' addresses — A records for IPs, one CNAME when
/// the only healthy address is a host name — so a region whose cluster fails drops out of the answer.
/// </summary>
public static class GlobalRouting
{
    public const int DefaultWeight = 1;

    public static ImmutableArray<RoutingTarget> Targets(IEnumerable<RoutingCandidate> candidates, IReadOnlyDictionary<string, int> regionWeights) =>
    [
        .. candidates.OrderBy(c => c.Cluster, StringComparer.Ordinal).Select(c =>
        {
            var region = c.Region ?? "";
            var weight = regionWeights.TryGetValue(region, out var w) ? w : DefaultWeight;
            var reason = !c.Available ? "cluster Unavailable"
                : !c.IsLoadBalancer ? "the Service is not of type LoadBalancer (or not exported here)"
                : c.Addresses.IsEmpty ? "no load-balancer address yet"
                : c.ReadyEndpoints == 0 ? "no ready endpoints"
                : weight <= 0 ? "weight 0"
                : "healthy";
            return new RoutingTarget(c.Cluster, region, c.Addresses, weight, reason == "healthy", reason);
        }),
    ];

    /// <summary>
    /// The <c>spec.endpoints</c> of the DNSEndpoint: an A record of the healthy IPv4 addresses and an AAAA record of the
    /// IPv6 ones; without any IP, a CNAME to the first healthy host name; nothing healthy: no record (the name is withdrawn).
    /// </summary>
    public static JsonArray DnsRecords(string dnsName, long ttl, IEnumerable<RoutingTarget> targets)
    {
        var healthy = targets.Where(t => t.Healthy).SelectMany(t => t.Addresses).Distinct().Order(StringComparer.Ordinal).ToList();
        var ips = healthy.Where(a => System.Net.IPAddress.TryParse(a, out _)).ToList();
        var records = new JsonArray();
        var v4 = ips.Where(a => !a.Contains(':')).ToList();
        var v6 = ips.Where(a => a.Contains(':')).ToList();
        if (v4.Count > 0) records.Add(Record(dnsName, "A", ttl, v4));
        if (v6.Count > 0) records.Add(Record(dnsName, "AAAA", ttl, v6));
        if (ips.Count == 0 && healthy.Count > 0) records.Add(Record(dnsName, "CNAME", ttl, healthy.Take(1)));
        return records;
    }

    private static JsonObject Record(string dnsName, string type, long ttl, IEnumerable<string> targets) => new()
    {
        ["dnsName"] = dnsName,
        ["recordType"] = type,
        ["recordTTL"] = ttl,
        ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)t)]),
    };
}
