using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;

namespace Flotilla.Core.Tests.Services;

public sealed class ServicePlannerTests
{
    private const string Set = "global";
    private const string V1Beta1 = "discovery.k8s.io/v1beta1";
    private static readonly ServiceKey Key = new("shop", "cart");
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly ImmutableArray<ServicePort> Http = [new("http", "TCP", 80, null)];

    private static JsonObject Slice(string name, string ip, string? zone = null) => new()
    {
        ["apiVersion"] = V1Beta1, ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
        ["addressType"] = "IPv4",
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(ip), ["conditions"] = new JsonObject { ["ready"] = true }, ["nodeName"] = "node-a",
            ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = "cart-1" },
            ["topology"] = zone is null ? null : new JsonObject { ["topology.kubernetes.io/zone"] = zone },
        }),
    };

    private static MemberServiceView Member(string cluster, int? exportedAtMinute = null, ImmutableArray<ServicePort>? ports = null, bool observed = true,
        bool ns = true, string sliceVersion = V1Beta1, ImmutableArray<WrittenObject>? copies = null, WrittenObject? import = null, bool foreign = false,
        bool service = true, ImmutableArray<ExportCondition>? conditions = null) => new(
        cluster, observed, ns, sliceVersion,
        exportedAtMinute is { } m ? new ExportObservation(T0.AddMinutes(m), 1, conditions ?? []) : null,
        exportedAtMinute is not null && service ? new ServiceObservation("ClusterIP", "10.96.0.10", ports ?? Http, "None", ["IPv4"]) : null,
        exportedAtMinute is not null ? [Slice($"cart-{cluster}-abc", $"10.{cluster.Length}.0.{cluster[^1]}")] : [],
        import, foreign, copies ?? []);

    private static readonly Dictionary<string, bool> AllPublished = [];

    [Fact]
    public void Two_exports_give_every_member_the_import_and_both_clusters_slices()
    {
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2", 1), Member("member-3")], AllPublished);
        Assert.Equal(3, plan.Changes.Length);
        foreach (var change in plan.Changes)
        {
            Assert.Equal("ClusterSetIP", change.ApplyImport!["spec"]!["type"]!.GetValue<string>());
            Assert.Equal(["member-1", "member-2"], change.ApplyCopies.Select(c => c["metadata"]!["labels"]![McsNames.SourceClusterLabel]!.GetValue<string>()));
            Assert.All(change.ApplyCopies, c => Assert.Equal("cart", c["metadata"]!["labels"]![McsNames.ServiceNameLabel]!.GetValue<string>()));
            Assert.All(change.ApplyCopies, c => Assert.Null(c["metadata"]!["labels"]![McsNames.LocalServiceNameLabel]));
        }
        Assert.All(plan.Roles, r => Assert.True(r.Imports));
        Assert.Equal([true, true, false], plan.Roles.Select(r => r.Exports));
    }

    [Fact]
    public void A_copy_drops_the_node_and_pod_and_converts_the_zone_to_the_targets_version()
    {
        var source = Slice("cart-x", "10.0.0.1", zone: "eu-1a");
        var v1 = ImportedObjects.Copy(Set, Key, "member-1", source, "discovery.k8s.io/v1");
        var endpoint = v1["endpoints"]![0]!;
        Assert.Equal("eu-1a", endpoint["zone"]!.GetValue<string>());
        Assert.Null(endpoint["topology"]);
        Assert.Null(endpoint["nodeName"]);
        Assert.Null(endpoint["targetRef"]);
        Assert.True(endpoint["conditions"]!["ready"]!.GetValue<bool>());
        var back = ImportedObjects.Copy(Set, Key, "member-1", v1, V1Beta1);
        Assert.Equal("eu-1a", back["endpoints"]![0]!["topology"]!["topology.kubernetes.io/zone"]!.GetValue<string>());
        Assert.Equal(V1Beta1, back["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public void A_second_pass_over_what_was_written_writes_nothing()
    {
        var first = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2")], AllPublished);
        var written = first.Changes.ToDictionary(c => c.Cluster);
        MemberServiceView After(MemberServiceView m) => m with
        {
            Import = new WrittenObject("cart", null, ImportedObjects.HashOf(written[m.Cluster].ApplyImport!)),
            Copies = [.. written[m.Cluster].ApplyCopies.Select(c => new WrittenObject(c["metadata"]!["name"]!.GetValue<string>(), "member-1", ImportedObjects.HashOf(c)))],
            Export = m.Export is null ? null : m.Export with { Conditions = first.Exports.Single(e => e.Cluster == m.Cluster).Conditions },
        };
        var second = ServicePlanner.Plan(Set, Key, [After(Member("member-1", 0)), After(Member("member-2"))], AllPublished);
        Assert.True(second.IsEmpty, "a converged service needs no writes");
    }

    [Fact]
    public void The_newer_conflicting_export_gets_Conflict_and_the_oldest_does_not()
    {
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2", 5, [new("http", "TCP", 8080, null)])], AllPublished);
        var conditions = plan.Exports.ToDictionary(e => e.Cluster, e => e.Conditions.ToDictionary(c => c.Type));
        Assert.Equal("True", conditions["member-2"]["Conflict"].Status);
        Assert.Equal("PortConflict", conditions["member-2"]["Conflict"].Reason);
        Assert.Equal("False", conditions["member-1"]["Conflict"].Status);
        Assert.Equal("True", conditions["member-2"]["Valid"].Status);
        Assert.Equal("True", conditions["member-2"]["Ready"].Status);
        Assert.Equal(80, plan.Import!.Ports.Single().Port);
    }

    [Fact]
    public void An_export_without_its_Service_is_invalid_and_imports_nothing()
    {
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0, service: false), Member("member-2", import: new("cart", null, "old"))], AllPublished);
        Assert.Null(plan.Import);
        var valid = plan.Exports.Single().Conditions.Single(c => c.Type == "Valid");
        Assert.Equal(("False", "ServiceNotFound"), (valid.Status, valid.Reason));
        Assert.Equal("cart", plan.Changes.Single(c => c.Cluster == "member-2").DeleteImport);
    }

    [Fact]
    public void A_withdrawn_source_loses_its_copies_everywhere_and_the_rest_stay()
    {
        var first = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2", 1), Member("member-3")], AllPublished);
        var copies = first.Changes.Single(c => c.Cluster == "member-3").ApplyCopies
            .Select(c => new WrittenObject(c["metadata"]!["name"]!.GetValue<string>(), c["metadata"]!["labels"]![McsNames.SourceClusterLabel]!.GetValue<string>(), ImportedObjects.HashOf(c)))
            .ToImmutableArray();
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2", 1), Member("member-3", copies: copies)],
            new Dictionary<string, bool> { ["member-2"] = false });
        var member3 = plan.Changes.Single(c => c.Cluster == "member-3");
        Assert.Empty(member3.ApplyCopies);
        Assert.Equal([copies.Single(c => c.SourceCluster == "member-2").Name], member3.DeleteCopies.ToArray());
    }

    [Fact]
    public void A_member_not_observed_since_the_hub_started_gets_no_writes_and_keeps_its_copies_elsewhere()
    {
        var theirs = new WrittenObject("cart-member-2-0000", "member-2", "h");
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0, copies: [theirs]), Member("member-2", 1, observed: false)], AllPublished);
        Assert.DoesNotContain(plan.Changes, c => c.Cluster == "member-2");
        Assert.Empty(plan.Changes.Single().DeleteCopies);
        Assert.Contains("not observed", plan.Roles.Single(r => r.Cluster == "member-2").Why);
    }

    [Fact]
    public void Only_an_unseen_exporter_keeps_the_import_it_made()
    {
        var plan = ServicePlanner.Plan(Set, Key,
            [Member("member-1", import: new("cart", null, "h"), copies: [new("cart-member-2-0000", "member-2", "h")]), Member("member-2", 1, observed: false)], AllPublished);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_foreign_import_and_a_missing_namespace_are_left_alone_and_explained()
    {
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", 0), Member("member-2", foreign: true), Member("member-3", ns: false)], AllPublished);
        Assert.True(plan.Changes.Single(c => c.Cluster == "member-2").IsEmpty);
        Assert.DoesNotContain(plan.Changes, c => c.Cluster == "member-3");
        Assert.Contains("did not write", plan.Roles.Single(r => r.Cluster == "member-2").Why);
        Assert.Contains("namespace shop does not exist", plan.Roles.Single(r => r.Cluster == "member-3").Why);
    }

    [Fact]
    public void Unexport_removes_the_import_and_every_copy()
    {
        var plan = ServicePlanner.Plan(Set, Key, [Member("member-1", import: new("cart", null, "h"), copies: [new("cart-member-1-aaaa", "member-1", "h")])], AllPublished);
        var change = plan.Changes.Single();
        Assert.Equal("cart", change.DeleteImport);
        Assert.Equal(["cart-member-1-aaaa"], change.DeleteCopies.ToArray());
    }
}
