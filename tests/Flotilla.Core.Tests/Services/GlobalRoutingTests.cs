using System.Collections.Immutable;
using Flotilla.Core.Services;

namespace Flotilla.Core.Tests.Services;

public sealed class GlobalRoutingTests
{
    private static RoutingCandidate Candidate(string cluster, string region, bool available = true, bool lb = true, int ready = 1, params string[] addresses) =>
        new(cluster, region, available, lb, [.. addresses.Length == 0 ? [$"203.0.113.{cluster[^1]}"] : addresses], ready);

    [Fact]
    public void Only_available_load_balancers_with_ready_endpoints_serve_and_each_other_says_why()
    {
        var targets = GlobalRouting.Targets([
            Candidate("c1", "eu"), Candidate("c2", "us", available: false), Candidate("c3", "ap", ready: 0), Candidate("c4", "eu", lb: false),
            new RoutingCandidate("c5", "eu", true, true, [], 1)], new Dictionary<string, int> { ["eu"] = 3 });
        Assert.Equal(["healthy", "cluster Unavailable", "no ready endpoints", "the Service is not of type LoadBalancer (or not exported here)", "no load-balancer address yet"],
            targets.Select(t => t.Reason));
        Assert.Equal(3, targets[0].Weight);
        Assert.Equal(1, targets[1].Weight);
    }

    [Fact]
    public void A_region_of_weight_zero_is_taken_out() =>
        Assert.False(GlobalRouting.Targets([Candidate("c1", "eu")], new Dictionary<string, int> { ["eu"] = 0 }).Single().Healthy);

    [Fact]
    public void The_record_carries_the_healthy_addresses_by_family_and_drops_the_failed_region()
    {
        var targets = GlobalRouting.Targets([Candidate("c1", "eu", addresses: ["203.0.113.1", "2001:db8::1"]), Candidate("c2", "us", available: false)],
            ImmutableDictionary<string, int>.Empty);
        var records = GlobalRouting.DnsRecords("shop.example.com", 30, targets);
        Assert.Equal("""[{"dnsName":"shop.example.com","recordType":"A","recordTTL":30,"targets":["203.0.113.1"]},{"dnsName":"shop.example.com","recordType":"AAAA","recordTTL":30,"targets":["2001:db8::1"]}]""",
            records.ToJsonString());
    }

    [Fact]
    public void Host_names_only_give_one_CNAME_and_nothing_healthy_gives_no_record()
    {
        var named = GlobalRouting.Targets([Candidate("c1", "eu", addresses: ["lb-b.example.net"]), Candidate("c2", "us", addresses: ["lb-a.example.net"])], ImmutableDictionary<string, int>.Empty);
        Assert.Equal("""[{"dnsName":"x","recordType":"CNAME","recordTTL":5,"targets":["lb-a.example.net"]}]""", GlobalRouting.DnsRecords("x", 5, named).ToJsonString());
        Assert.Empty(GlobalRouting.DnsRecords("x", 5, GlobalRouting.Targets([Candidate("c1", "eu", available: false)], ImmutableDictionary<string, int>.Empty)));
    }
}
