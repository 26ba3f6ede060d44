using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

/// <summary>Kustomize rendering through the real <c>kubectl kustomize</c>, and the scan that guards it.</summary>
public sealed class KustomizeRenderTests : IDisposable
{
    private readonly TempTree _repo = new();
    private readonly TempTree _outside = new();
    private readonly TempTree _tools = new();

    public void Dispose()
    {
        _repo.Dispose();
        _outside.Dispose();
        _tools.Dispose();
    }

    [Fact]
    public async Task An_overlay_with_a_patch_and_name_prefix_renders()
    {
        WriteBaseAndOverlay();

        var result = await Render("overlays/prod");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["Service/shop/prod-web", "apps/Deployment/shop/prod-web"], result.Manifests.Refs.Select(r => r.ToString()));
        var deployment = result.Manifests.Manifests.Single(m => m.Ref.Kind == "Deployment");
        Assert.Equal(3L, (long)deployment.Object["spec"]!["replicas"]!);
        Assert.Equal("overlays/prod/kustomization.yaml", deployment.Source.Path);
        Assert.Equal("prod", (string)deployment.Object["metadata"]!["labels"]!["env"]!);
    }

    [Fact]
    public async Task A_subdirectory_with_a_kustomization_is_rendered_as_one_unit_in_a_plain_walk()
    {
        WriteBaseAndOverlay();
        _repo.Write("plain/cm.yaml", Yaml.ConfigMap("plain"));
        _repo.Write("plain/kustomized/kustomization.yaml", "namePrefix: k-\nresources:\n- cm.yaml\n")
            .Write("plain/kustomized/cm.yaml", Yaml.ConfigMap("inner"));

        var result = await Render("plain");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["k-inner", "plain"], result.Manifests.Refs.Select(r => r.Name));
        Assert.DoesNotContain(result.Manifests.Refs, r => r.Kind == "Kustomization");
    }

    [Theory]
    [InlineData("resources:\n- ../../../outside\n")]
    [InlineData("resources:\n- /etc\n")]
    [InlineData("components:\n- ../../..\n")]
    [InlineData("patches:\n- path: ../../../../etc/passwd\n")]
    [InlineData("configMapGenerator:\n- name: c\n  files:\n  - key=../../../../etc/hostname\n")]
    [InlineData("secretGenerator:\n- name: s\n  envs:\n  - ../../../../etc/environment\n")]
    [InlineData("patchesStrategicMerge:\n- ../../../../patch.yaml\n")]
    public async Task Paths_leaving_the_repository_are_rejected_naming_the_kustomization(string kustomization)
    {
        _outside.Write("kustomization.yaml", "resources:\n- cm.yaml\n").Write("cm.yaml", Yaml.ConfigMap("outside"));
        Directory.CreateDirectory(_repo.PathOf("apps/web"));
        File.CreateSymbolicLink(_repo.PathOf("apps/outside"), _outside.Root);
        _repo.Write("apps/web/kustomization.yaml", kustomization.Replace("../../../outside", Path.GetRelativePath(_repo.PathOf("apps/web"), _outside.Root)));

        var result = await Render("apps/web", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal("apps/web/kustomization.yaml", error.Source.Path);
    }

    [Fact]
    public async Task A_resource_reaching_out_through_a_symlink_is_rejected()
    {
        _outside.Write("kustomization.yaml", "resources:\n- cm.yaml\n").Write("cm.yaml", Yaml.ConfigMap("outside"));
        _repo.Link("apps/outside", _outside.Root).Write("apps/web/kustomization.yaml", "resources:\n- ../outside\n");

        var result = await Render("apps/web", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal("apps/web/kustomization.yaml", error.Source.Path);
    }

    [Fact]
    public async Task Dot_dot_inside_the_repository_is_allowed()
    {
        WriteBaseAndOverlay();

        var result = await Render("overlays/prod");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task An_escape_in_a_base_reached_from_the_overlay_is_found()
    {
        WriteBaseAndOverlay();
        _repo.Write("base/kustomization.yaml", "resources:\n- deployment.yaml\n- service.yaml\n- ../../../../../../../../tmp\n");

        var result = await Render("overlays/prod", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal("base/kustomization.yaml", error.Source.Path);
    }

    [Theory]
    [InlineData("https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0")]
    [InlineData("http://example.com/manifests.yaml")]
    [InlineData("github.com/example/repo/deploy?ref=main")]
    [InlineData("git@github.com:example/repo.git//deploy")]
    [InlineData("ssh://git@example.com/repo.git")]
    [InlineData("git::https://example.com/repo.git")]
    [InlineData("example.com/org/repo/path")]
    [InlineData("https://user:hunter2@example.com/repo.git")]
    public async Task Remote_bases_are_rejected_before_kustomize_runs(string entry)
    {
        _repo.Write("apps/kustomization.yaml", $"resources:\n- {entry}\n");

        var result = await Render("apps", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.RemoteReference, error.Code);
        Assert.Equal("apps/kustomization.yaml", error.Source.Path);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task A_remote_patch_file_is_rejected()
    {
        _repo.Write("apps/kustomization.yaml", "resources:\n- cm.yaml\npatches:\n- path: https://example.com/patch.yaml\n")
            .Write("apps/cm.yaml", Yaml.ConfigMap("a"));

        var result = await Render("apps", failIfKustomizeRuns: true);

        Assert.Equal(ManifestErrorCode.RemoteReference, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("transformers:\n- fn.yaml\n")]
    [InlineData("generators:\n- fn.yaml\n")]
    [InlineData("validators:\n- fn.yaml\n")]
    [InlineData("transformers:\n- fns\n")]
    public async Task Exec_function_plugins_are_rejected(string kustomization)
    {
        const string function = """
            apiVersion: example.com/v1
            kind: Evil
            metadata:
              name: evil
              annotations:
                config.kubernetes.io/function: |
                  exec:
                    path: /bin/touch
            """;
        _repo.Write("apps/kustomization.yaml", "resources:\n- cm.yaml\n" + kustomization)
            .Write("apps/cm.yaml", Yaml.ConfigMap("a"))
            .Write("apps/fn.yaml", function)
            .Write("apps/fns/kustomization.yaml", "resources:\n- fn.yaml\n")
            .Write("apps/fns/fn.yaml", function);

        var result = await Render("apps", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.ForbiddenPlugin, error.Code);
        Assert.EndsWith("kustomization.yaml", error.Source.Path);
    }

    [Fact]
    public async Task Inline_non_builtin_transformers_and_helm_charts_are_rejected()
    {
        _repo.Write("apps/kustomization.yaml", """
            resources: [cm.yaml]
            transformers:
            - apiVersion: example.com/v1
              kind: SomePlugin
              metadata: {name: p}
            helmCharts:
            - name: nginx
              repo: https://charts.example.com
            """).Write("apps/cm.yaml", Yaml.ConfigMap("a"));

        var result = await Render("apps", failIfKustomizeRuns: true);

        Assert.Equal([ManifestErrorCode.ForbiddenPlugin, ManifestErrorCode.ForbiddenPlugin], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task Builtin_transformers_are_allowed()
    {
        _repo.Write("apps/kustomization.yaml", """
            resources: [cm.yaml]
            transformers:
            - |-
              apiVersion: builtin
              kind: LabelTransformer
              metadata: {name: labels}
              labels: {team: shop}
              fieldSpecs: [{path: metadata/labels, create: true}]
            """).Write("apps/cm.yaml", Yaml.ConfigMap("a"));

        var result = await Render("apps");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("shop", (string)Assert.Single(result.Manifests).Object["metadata"]!["labels"]!["team"]!);
    }

    [Theory]
    [InlineData("missing.yaml")]
    [InlineData("sub.d/missing.yaml")]
    [InlineData("missing-dir")]
    public async Task A_missing_local_resource_is_reported_before_kustomize_runs(string entry)
    {
        _repo.Write("apps/kustomization.yaml", $"resources:\n- {entry}\n");

        var result = await Render("apps", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.InvalidKustomization, error.Code);
        Assert.Contains(entry, error.Message);
    }

    [Fact]
    public async Task A_directory_resource_without_a_kustomization_is_reported()
    {
        _repo.Write("apps/kustomization.yaml", "resources:\n- plain\n").Write("apps/plain/cm.yaml", Yaml.ConfigMap("a"));

        var result = await Render("apps", failIfKustomizeRuns: true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.InvalidKustomization, error.Code);
        Assert.Equal("apps/plain", error.Source.Path);
    }

    [Fact]
    public async Task Two_kustomization_files_in_one_directory_are_rejected()
    {
        _repo.Write("apps/kustomization.yaml", "resources: []\n").Write("apps/kustomization.yml", "resources: []\n");

        var result = await Render("apps", failIfKustomizeRuns: true);

        Assert.Equal(ManifestErrorCode.InvalidKustomization, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task A_kustomize_failure_is_reported_with_its_message()
    {
        _repo.Write("apps/kustomization.yaml", "resources:\n- cm.yaml\npatches:\n- target: {kind: ConfigMap, name: a}\n  patch: |-\n    - op: replace\n      path: /data/missing/deeper\n      value: x\n")
            .Write("apps/cm.yaml", Yaml.ConfigMap("a"));

        var result = await Render("apps");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.KustomizeFailed, error.Code);
        Assert.Equal("apps/kustomization.yaml", error.Source.Path);
        Assert.Contains("exit code", error.Message);
    }

    [Fact]
    public async Task Kustomize_output_is_validated_and_deduplicated_like_plain_files()
    {
        _repo.Write("apps/kustomization.yaml", "resources:\n- a.yaml\n- nested\n")
            .Write("apps/a.yaml", Yaml.ConfigMap("same"))
            .Write("apps/nested/kustomization.yaml", "resources:\n- b.yaml\n")
            .Write("apps/nested/b.yaml", Yaml.ConfigMap("same", ns: "other"));
        _repo.Write("all/x/kustomization.yaml", "resources:\n- cm.yaml\n").Write("all/x/cm.yaml", Yaml.ConfigMap("dup"))
            .Write("all/y.yaml", Yaml.ConfigMap("dup"));

        var ok = await Render("apps");
        var duplicate = await Render("all");

        Assert.True(ok.Succeeded, string.Join("\n", ok.Errors));
        var error = Assert.Single(duplicate.Errors);
        Assert.Equal(ManifestErrorCode.DuplicateObject, error.Code);
        Assert.Contains("all/x/kustomization.yaml[0]", error.Message);
        Assert.Contains("all/y.yaml[0]", error.Message);
    }

    private void WriteBaseAndOverlay()
    {
        _repo.Write("base/kustomization.yaml", "namespace: shop\nresources:\n- deployment.yaml\n- service.yaml\n")
            .Write("base/deployment.yaml", Yaml.Deployment("web"))
            .Write("base/service.yaml", Yaml.Service("web"))
            .Write("overlays/prod/kustomization.yaml", """
                namePrefix: prod-
                labels:
                - pairs: {env: prod}
                resources:
                - ../../base
                patches:
                - path: replicas.yaml
                """)
            .Write("overlays/prod/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n");
    }

    private Task<RenderResult> Render(string path, bool failIfKustomizeRuns = false)
    {
        var options = KustomizeRunnerOptions.Default;
        if (failIfKustomizeRuns)
        {
            // A stand-in that leaves a trace and fails, proving the scan stopped the render first.
            var marker = _tools.PathOf("ran");
            options = options with { ExecutablePath = _tools.Script("fake-kubectl", $"touch '{marker}'\nexit 1") };
        }

        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(options));
        return RenderAndCheckAsync(renderer, path, failIfKustomizeRuns);
    }

    private async Task<RenderResult> RenderAndCheckAsync(DirectoryRenderer renderer, string path, bool failIfKustomizeRuns)
    {
        var result = await renderer.RenderAsync(_repo.Root, path, CancellationToken.None);
        if (failIfKustomizeRuns)
        {
            Assert.False(File.Exists(_tools.PathOf("ran")), "kustomize ran although the scan should have stopped the render");
        }

        return result;
    }
}
