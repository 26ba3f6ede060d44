using Flotilla.Core.Clusters;
using Flotilla.Hub.Api;
using static Flotilla.Hub.Tests.Api.FleetBuilder;

namespace Flotilla.Hub.Tests.Api;

public class MatrixBuilderTests
{
    private const string V2 = "2222222222222222222222222222222222222222";
    private const string V1 = "1111111111111111111111111111111111111111";

    private static FleetView Fleet()
    {
        var view = new FleetView();
        view.Apply("ADDED", Cluster("eu-1", new() { ["region"] = "eu", ["env"] = "prod" }));
        view.Apply("ADDED", Cluster("eu-2", new() { ["region"] = "eu", ["env"] = "dev" }));
        view.Apply("ADDED", Cluster("us-1", new() { ["region"] = "us", ["env"] = "prod" }, available: false));
        view.Apply("ADDED", Bundle("apps", "web", V2, Entry("eu-1", "Synced", V2), Entry("eu-2", "Synced", V1), Entry("us-1", "Failed", V1, error: "boom")));
        view.Apply("ADDED", Bundle("infra", "dns", V1, Entry("eu-1", "Synced", V1, drift: "ConfigMap/x changed by kubectl")));
        return view;
    }

    private static MatrixPage Build(FleetView view, string? selector = null, MatrixStatusFilter? status = null, string? groupBy = null, string? ns = null, int page = 1, int size = 50) =>
        MatrixBuilder.Build(view.Clusters, view.Bundles, new MatrixQuery(LabelSelector.Parse(selector), status, groupBy, ns, page, size));

    [Fact]
    public void Cells_read_synced_only_at_the_desired_revision()
    {
        var m = Build(Fleet());
        Assert.Equal(["web", "dns"], m.Bundles.Select(b => b.Name)); // by namespace/name: apps/web, infra/dns
        var eu2 = m.Rows.Single(r => r.Cluster == "eu-2");
        Assert.Null(eu2.Cells[1]);
        Assert.Equal("OutOfSync", eu2.Cells[0]!.Sync); // Synced, but still at v1 while the bundle wants v2
        Assert.Equal("Synced", m.Rows.Single(r => r.Cluster == "eu-1").Cells[0]!.Sync);
        Assert.True(m.Rows.Single(r => r.Cluster == "eu-1").Cells[1]!.Drift);
        Assert.Equal((1, 1, 1), (m.Bundles[0].Synced, m.Bundles[0].OutOfSync, m.Bundles[0].Failed));
        Assert.False(m.Rows.Single(r => r.Cluster == "us-1").Available);
    }

    [Theory]
    [InlineData("region=eu", null, new[] { "eu-1", "eu-2" })]
    [InlineData("env=prod", null, new[] { "eu-1", "us-1" })]
    [InlineData(null, MatrixStatusFilter.Failed, new[] { "us-1" })]
    [InlineData(null, MatrixStatusFilter.OutOfSync, new[] { "eu-2" })]
    [InlineData(null, MatrixStatusFilter.Drifted, new[] { "eu-1" })]
    [InlineData("region=eu", MatrixStatusFilter.Failed, new string[0])]
    public void Filters_keep_matching_clusters(string? selector, MatrixStatusFilter? status, string[] expected) =>
        Assert.Equal(expected, Build(Fleet(), selector, status).Rows.Select(r => r.Cluster));

    [Fact]
    public void Groups_order_rows_by_the_label_value_then_name()
    {
        var m = Build(Fleet(), groupBy: "env");
        Assert.Equal([("dev", "eu-2"), ("prod", "eu-1"), ("prod", "us-1")], m.Rows.Select(r => (r.Group!, r.Cluster)));
    }

    [Fact]
    public void Pages_rows_on_the_server_and_counts_columns_over_all_of_them()
    {
        var view = new FleetView();
        var entries = new List<Flotilla.Kube.Api.BundleClusterStatus>();
        for (var i = 0; i < 1000; i++)
        {
            view.Apply("ADDED", Cluster($"c-{i:D4}", new() { ["shard"] = (i % 10).ToString() }));
            entries.Add(Entry($"c-{i:D4}", i % 100 == 0 ? "Failed" : "Synced", V1));
        }
        view.Apply("ADDED", Bundle("apps", "web", V1, [.. entries]));
        var m = Build(view, page: 3, size: 100);
        Assert.Equal((1000, 10, 100), (m.TotalClusters, m.Pages, m.Rows.Count));
        Assert.Equal("c-0200", m.Rows[0].Cluster);
        Assert.Equal((990, 10), (m.Bundles[0].Synced, m.Bundles[0].Failed));
        Assert.Empty(Build(view, page: 11, size: 100).Rows);
        Assert.Equal(100, Build(view, selector: "shard=3").TotalClusters);
    }

    [Fact]
    public void Namespace_limits_the_columns() =>
        Assert.Equal(["dns"], Build(Fleet(), ns: "infra").Bundles.Select(b => b.Name));

    [Fact]
    public void A_deleted_bundle_leaves_the_matrix()
    {
        var view = Fleet();
        view.Apply("DELETED", Bundle("apps", "web", V2));
        Assert.Equal(["dns"], Build(view).Bundles.Select(b => b.Name));
    }

    [Theory]
    [InlineData("status", "Broken", "status \"Broken\" is not one of")]
    [InlineData("page", "0", "page must be")]
    [InlineData("pageSize", "501", "pageSize must be")]
    [InlineData("pageSize", "-5", "pageSize must be")]
    [InlineData("selector", "a in (", "invalid")]
    public void Bad_query_values_are_named(string key, string value, string message)
    {
        var e = Assert.Throws<FormatException>(() => MatrixQuery.Parse(k => k == key ? value : null));
        Assert.Contains(message, e.Message);
    }
}
