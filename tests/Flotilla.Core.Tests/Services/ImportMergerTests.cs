using Flotilla.Core.Services;

namespace Flotilla.Core.Tests.Services;

public sealed class ImportMergerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ServicePort Port(string name, int port, string protocol = "TCP") => new(name, protocol, port, null);

    private static ExportedService Export(string cluster, int minutes, ImportType type = ImportType.ClusterSetIP, string affinity = "None",
        string[]? families = null, params ServicePort[] ports) =>
        new(cluster, T0.AddMinutes(minutes), type, [.. ports.Length == 0 ? [Port("http", 80)] : ports], affinity, [.. families ?? ["IPv4"]]);

    [Fact]
    public void Nothing_exported_merges_to_nothing() => Assert.Null(ImportMerger.Merge([]));

    [Fact]
    public void Equal_exports_merge_without_conflict_and_list_every_cluster_in_name_order()
    {
        var merged = ImportMerger.Merge([Export("member-2", 1), Export("member-1", 2)])!;
        Assert.Equal(ImportType.ClusterSetIP, merged.Type);
        Assert.Equal([Port("http", 80)], merged.Ports.ToArray());
        Assert.Equal(["member-1", "member-2"], merged.Clusters.ToArray());
        Assert.Empty(merged.Conflicts);
    }

    [Fact]
    public void Ports_are_the_union_by_name()
    {
        var merged = ImportMerger.Merge([Export("a", 0, ports: [Port("http", 80)]), Export("b", 1, ports: [Port("http", 80), Port("grpc", 9090)])])!;
        Assert.Equal([Port("grpc", 9090), Port("http", 80)], merged.Ports.ToArray());
        Assert.Empty(merged.Conflicts);
    }

    [Theory]
    [InlineData(8080, "TCP")]
    [InlineData(80, "UDP")]
    public void A_port_the_oldest_defines_otherwise_keeps_the_oldest_definition_and_the_newer_export_conflicts(int port, string protocol)
    {
        var merged = ImportMerger.Merge([Export("newer", 5, ports: [Port("http", port, protocol)]), Export("older", 1, ports: [Port("http", 80)])])!;
        Assert.Equal([Port("http", 80)], merged.Ports.ToArray());
        var conflict = Assert.Single(merged.Conflicts);
        Assert.Equal("newer", conflict.Key);
        Assert.Equal("PortConflict", conflict.Value.Reason);
        Assert.Contains($"{port}/{protocol} here but 80/TCP in older", conflict.Value.Message);
    }

    [Fact]
    public void The_oldest_decides_the_type_and_a_newer_headless_export_conflicts()
    {
        var merged = ImportMerger.Merge([Export("b", 2, ImportType.Headless), Export("a", 1)])!;
        Assert.Equal(ImportType.ClusterSetIP, merged.Type);
        Assert.Equal("TypeConflict", merged.Conflicts["b"].Reason);
        Assert.Equal(["a", "b"], merged.Clusters.ToArray()); // a conflicting export still contributes its endpoints
    }

    [Fact]
    public void Equal_ages_are_ordered_by_cluster_name()
    {
        var merged = ImportMerger.Merge([Export("b", 0, ImportType.Headless), Export("a", 0)])!;
        Assert.Equal(ImportType.ClusterSetIP, merged.Type);
        Assert.True(merged.Conflicts.ContainsKey("b"));
    }

    [Fact]
    public void Session_affinity_and_address_families_follow_the_oldest()
    {
        var merged = ImportMerger.Merge([Export("old", 0, affinity: "ClientIP", families: ["IPv6"]), Export("new", 1, families: ["IPv4"])])!;
        Assert.Equal("ClientIP", merged.SessionAffinity);
        Assert.Equal(["IPv6"], merged.IpFamilies.ToArray());
        Assert.Equal("SessionAffinityConflict", merged.Conflicts["new"].Reason); // the first difference names the reason
        Assert.Contains("ipFamilies are IPv4 here but IPv6 in old", merged.Conflicts["new"].Message);
    }

    [Fact]
    public void An_export_without_known_address_families_conflicts_with_none()
    {
        var merged = ImportMerger.Merge([Export("old", 0, families: ["IPv4"]), Export("new", 1, families: [])])!;
        Assert.Empty(merged.Conflicts);
    }

    [Fact]
    public void Several_differences_are_all_named_in_one_condition()
    {
        var merged = ImportMerger.Merge([Export("old", 0), Export("new", 1, ImportType.Headless, ports: [Port("http", 81)])])!;
        Assert.Equal("TypeConflict", merged.Conflicts["new"].Reason);
        Assert.Contains("port \"http\" is 81/TCP", merged.Conflicts["new"].Message);
    }
}
