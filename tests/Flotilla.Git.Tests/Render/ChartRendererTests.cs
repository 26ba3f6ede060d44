using Flotilla.Core.Manifests;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

/// <summary>
/// The real pinned helm (scripts/install-tools.sh) rendering real public charts and small charts written here: vendored
/// dependencies and Chart.lock, per-cluster capabilities, the chart's own error text, hooks, and every refusal.
/// </summary>
public sealed class ChartRendererTests
{
    private static readonly string[] Apis120 = ["v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1", "policy/v1beta1"];

    private static ChartRenderRequest Request(string path, string values = "{}", string kubeVersion = "v1.20.2", string[]? apis = null, bool includeTests = false) =>
        new(path, "web", "shop", values, kubeVersion, apis ?? Apis120, includeTests);

    private static ChartRenderer Renderer(HelmRunnerOptions? options = null) => new(RenderLimits.Default, options ?? HelmRunnerOptions.Default);

    [Fact]
    public async Task Nginx_renders_with_its_vendored_common_dependency()
    {
        var result = await Renderer().RenderAsync(TestCharts.Root, Request("nginx"), CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["ConfigMap/web-nginx-server-block", "Deployment/web-nginx", "Service/web-nginx"],
            result.Manifests.Select(m => $"{m.Ref.Kind}/{m.Ref.Name}").Order(StringComparer.Ordinal));
        var deployment = result.Manifests.Single(m => m.Ref.Kind == "Deployment");
        Assert.Equal("apps/v1", deployment.Ref.ApiVersion);
        Assert.Equal("nginx (nginx/templates/deployment.yaml)", deployment.Source.Path);
    }

    [Fact]
    public async Task Values_reach_the_templates()
    {
        var result = await Renderer().RenderAsync(TestCharts.Root, Request("nginx", """{"replicaCount": 3, "image": {"registry": "eu.registry.example"}}"""), CancellationToken.None);

        var deployment = result.Manifests!.Single(m => m.Ref.Kind == "Deployment").Object;
        Assert.Equal(3L, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.StartsWith("eu.registry.example/", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Grafana_asks_the_target_cluster_for_its_capabilities()
    {
        const string Values = """{"adminPassword": "not-random", "ingress": {"enabled": true, "hosts": ["grafana.example"]}}""";
        var modern = await Renderer().RenderAsync(TestCharts.Root, Request("grafana", Values), CancellationToken.None);
        var old = await Renderer().RenderAsync(TestCharts.Root, Request("grafana", Values, kubeVersion: "v1.18.0", apis: ["v1", "networking.k8s.io/v1beta1"]), CancellationToken.None);

        Assert.True(modern.Succeeded, string.Join("; ", modern.Errors));
        Assert.True(old.Succeeded, string.Join("; ", old.Errors));
        Assert.Equal("networking.k8s.io/v1", modern.Manifests.Single(m => m.Ref.Kind == "Ingress").Ref.ApiVersion);
        Assert.Equal("networking.k8s.io/v1beta1", old.Manifests.Single(m => m.Ref.Kind == "Ingress").Ref.ApiVersion);
    }

    [Fact]
    public async Task Api_versions_discovered_on_the_cluster_switch_templates()
    {
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: probe\nversion: 1.0.0\n",
            ["chart/templates/cm.yaml"] = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: probe}
                data:
                  widgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
                  kube: {{ .Capabilities.KubeVersion.Version | quote }}
                """,
        });
        var with = await Renderer().RenderAsync(root, Request("chart", apis: [.. Apis120, "example.com/v1", "example.com/v1/Widget"]), CancellationToken.None);
        var without = await Renderer().RenderAsync(root, Request("chart", kubeVersion: "v1.21.4"), CancellationToken.None);

        Assert.Equal("true", with.Manifests!.Single().Object["data"]!["widgets"]!.GetValue<string>());
        Assert.Equal("false", without.Manifests!.Single().Object["data"]!["widgets"]!.GetValue<string>());
        Assert.Equal("v1.21.4", without.Manifests!.Single().Object["data"]!["kube"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_fail_in_the_chart_is_reported_with_its_own_text()
    {
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: picky\nversion: 1.0.0\n",
            ["chart/templates/cm.yaml"] = "{{ if .Values.broken }}{{ fail \"this region has no registry mirror\" }}{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
        });

        var failed = await Renderer().RenderAsync(root, Request("chart", """{"broken": true}"""), CancellationToken.None);
        var fine = await Renderer().RenderAsync(root, Request("chart"), CancellationToken.None);

        var error = Assert.Single(failed.Errors);
        Assert.Equal(ManifestErrorCode.ChartFailed, error.Code);
        Assert.Contains("this region has no registry mirror", error.Message);
        Assert.True(fine.Succeeded);
    }

    [Fact]
    public async Task Hooks_are_kept_and_tests_dropped_unless_asked_for()
    {
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: hooks\nversion: 1.0.0\n",
            ["chart/templates/all.yaml"] = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: plain}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate, annotations: {"helm.sh/hook": pre-install,pre-upgrade}}
                spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cleanup, annotations: {"helm.sh/hook": pre-delete}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: smoke, annotations: {"helm.sh/hook": test}}
                spec: {containers: [{name: t, image: busybox}]}
                """,
        });

        var normal = await Renderer().RenderAsync(root, Request("chart"), CancellationToken.None);
        var tests = await Renderer().RenderAsync(root, Request("chart", includeTests: true), CancellationToken.None);

        Assert.Equal(["ConfigMap/plain", "Job/migrate"], normal.Manifests!.Select(m => $"{m.Ref.Kind}/{m.Ref.Name}").Order(StringComparer.Ordinal));
        Assert.Equal(["ConfigMap/plain", "Job/migrate", "Pod/smoke"], tests.Manifests!.Select(m => $"{m.Ref.Kind}/{m.Ref.Name}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dependency_that_is_not_vendored_is_a_clear_error()
    {
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 17.x.x\n  repository: https://charts.example.com\n",
            ["chart/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
        });

        var result = await Renderer().RenderAsync(root, Request("chart"), CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.ChartFailed, error.Code);
        Assert.Contains("dependency \"redis\" (from https://charts.example.com) is not vendored under charts/", error.Message);
    }

    [Fact]
    public async Task A_vendored_dependency_that_differs_from_Chart_lock_is_refused()
    {
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: lib\n  version: 1.x.x\n  repository: https://charts.example.com\n",
            ["chart/Chart.lock"] = "dependencies:\n- name: lib\n  repository: https://charts.example.com\n  version: 1.7.0\ndigest: sha256:00\n",
            ["chart/charts/lib/Chart.yaml"] = "apiVersion: v2\nname: lib\nversion: 1.2.0\n",
            ["chart/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
        });

        var result = await Renderer().RenderAsync(root, Request("chart"), CancellationToken.None);

        Assert.Contains("Chart.lock wants version 1.7.0, charts/ holds 1.2.0", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task A_symlink_out_of_the_repository_is_refused()
    {
        var outside = TestCharts.Write(new Dictionary<string, string> { ["secret.yaml"] = "token: hunter2\n" });
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 1.0.0\n",
            ["chart/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
        });
        File.CreateSymbolicLink(Path.Join(root, "chart", "files.yaml"), Path.Join(outside, "secret.yaml"));

        var result = await Renderer().RenderAsync(root, Request("chart"), CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task A_chart_over_the_size_cap_or_output_over_the_output_cap_is_refused()
    {
        var big = await Renderer(HelmRunnerOptions.Default with { MaxChartBytes = 10_000 }).RenderAsync(TestCharts.Root, Request("nginx"), CancellationToken.None);
        var loud = await Renderer(HelmRunnerOptions.Default with { MaxOutputBytes = 1_000 }).RenderAsync(TestCharts.Root, Request("nginx"), CancellationToken.None);

        Assert.Contains("the chart is larger than 10000 bytes", Assert.Single(big.Errors).Message);
        Assert.Contains("larger than 1000 bytes", Assert.Single(loud.Errors).Message);
        Assert.All(big.Errors.Concat(loud.Errors), e => Assert.Equal(ManifestErrorCode.LimitExceeded, e.Code));
    }

    [Fact]
    public async Task A_chart_that_renders_too_long_is_killed_at_the_timeout()
    {
        // A template that loops for a long time: until 5 million iterations are done, helm prints nothing.
        var root = TestCharts.Write(new Dictionary<string, string>
        {
            ["chart/Chart.yaml"] = "apiVersion: v2\nname: slow\nversion: 1.0.0\n",
            ["chart/templates/cm.yaml"] = "{{ range $i := until 50000000 }}{{ end }}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: slow}\n",
        });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = await Renderer(HelmRunnerOptions.Default with { Timeout = TimeSpan.FromSeconds(1) }).RenderAsync(root, Request("chart"), CancellationToken.None);

        Assert.Contains("did not finish within 1 seconds", Assert.Single(result.Errors).Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Theory]
    [InlineData("../nginx")]
    [InlineData("/etc")]
    public async Task A_chart_path_outside_the_root_is_refused(string path)
    {
        var result = await Renderer().RenderAsync(Path.Join(TestCharts.Root, "grafana"), Request(path), CancellationToken.None);

        Assert.Equal(ManifestErrorCode.PathEscape, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task Values_files_are_read_from_the_snapshot_and_bounded_to_it()
    {
        var root = TestCharts.Write(new Dictionary<string, string> { ["values/eu.yaml"] = "replicaCount: 2\nimage: {registry: eu.example}\n", ["values/empty.yaml"] = "" });

        var (values, errors) = Renderer().ReadValuesFiles(root, ["values/eu.yaml", "values/empty.yaml", "../x.yaml", "values/missing.yaml"]);

        Assert.Equal(["""{"replicaCount":2,"image":{"registry":"eu.example"}}""", "{}"], values.Select(v => v.ToJsonString()));
        Assert.Equal([ManifestErrorCode.PathEscape, ManifestErrorCode.ReadFailed], errors.Select(e => e.Code));
    }

    [Fact]
    public async Task The_example_fleets_chart_renders_with_its_values_file()
    {
        var fleet = Path.GetFullPath(Path.Combine(TestCharts.Root, "..", "..", "..", "examples", "fleet"));
        var renderer = Renderer();

        var (files, errors) = renderer.ReadValuesFiles(fleet, ["values/hello-world.yaml"]);
        var values = Core.Charts.ChartValues.Merge(Assert.Single(files), System.Text.Json.Nodes.JsonNode.Parse("""{"image":{"repository":"mirror.eu-west.example/library/nginx","tag":"1.27"}}""")!.AsObject());
        var result = await renderer.RenderAsync(fleet, Request("charts/hello-world", Core.Charts.ChartValues.Canonical(values)), CancellationToken.None);

        Assert.Empty(errors);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var deployment = result.Manifests.Single(m => m.Ref.Kind == "Deployment").Object;
        Assert.Equal("mirror.eu-west.example/library/nginx:1.27", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }
}
