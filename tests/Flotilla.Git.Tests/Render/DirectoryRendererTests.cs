using System.Text;
using Flotilla.Core.Manifests;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

public sealed class DirectoryRendererTests : IDisposable
{
    private readonly TempTree _repo = new();
    private readonly TempTree _outside = new();

    public void Dispose()
    {
        _repo.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public async Task Reads_yaml_yml_and_json_recursively_with_multiple_documents()
    {
        _repo.Write("apps/a.yaml", Yaml.ConfigMap("a1") + "---\n" + Yaml.ConfigMap("a2"))
            .Write("apps/sub/b.yml", Yaml.Service("web"))
            .Write("apps/sub/deeper/c.json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"shop"}}""")
            .Write("apps/sub/README.md", "not a manifest")
            .Write("apps/.hidden/x.yaml", Yaml.ConfigMap("hidden"))
            .Write("other/o.yaml", Yaml.ConfigMap("elsewhere"));

        var result = await Render("apps");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
            ["ConfigMap/shop/a1", "ConfigMap/shop/a2", "ConfigMap/shop/c", "Service/web"],
            result.Manifests.Refs.Select(r => r.ToString()));
        Assert.Equal(new SourceLocation("apps/a.yaml", 1), Source(result, "a2"));
        Assert.Equal(new SourceLocation("apps/sub/deeper/c.json", 0), Source(result, "c"));
        Assert.Equal(new SourceLocation("apps/sub/b.yml", 0), Source(result, "web"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("./")]
    public async Task The_root_itself_can_be_rendered(string path)
    {
        _repo.Write("cm.yaml", Yaml.ConfigMap("root"));

        var result = await Render(path);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("cm.yaml", Assert.Single(result.Manifests).Source.Path);
    }

    [Fact]
    public async Task A_single_file_path_can_be_rendered()
    {
        _repo.Write("apps/one.yaml", Yaml.ConfigMap("one")).Write("apps/two.yaml", Yaml.ConfigMap("two"));

        var result = await Render("apps/one.yaml");

        Assert.Equal("one", Assert.Single(result.Manifests!).Ref.Name);
    }

    [Fact]
    public async Task List_kinds_are_flattened()
    {
        _repo.Write("list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}
            - {apiVersion: v1, kind: Secret, metadata: {name: b, namespace: shop}}
            """);

        var result = await Render("");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["ConfigMap/shop/a", "Secret/shop/b"], result.Manifests.Refs.Select(r => r.ToString()));
        Assert.Equal(new SourceLocation("list.yaml", 0, 1), result.Manifests.Manifests[1].Source);
    }

    [Fact]
    public async Task A_file_symlink_leaving_the_repository_is_rejected()
    {
        _outside.Write("secret.yaml", Yaml.ConfigMap("stolen"));
        _repo.Write("apps/ok.yaml", Yaml.ConfigMap("ok")).Link("apps/escape.yaml", _outside.PathOf("secret.yaml"));

        var result = await Render("apps");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal("apps/escape.yaml", error.Source.Path);
        Assert.Null(result.Manifests);
    }

    [Fact]
    public async Task A_directory_symlink_leaving_the_repository_is_rejected()
    {
        _outside.Write("etc/cm.yaml", Yaml.ConfigMap("stolen"));
        _repo.Write("apps/ok.yaml", Yaml.ConfigMap("ok")).Link("apps/etc", _outside.PathOf("etc"));

        var result = await Render("apps");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal("apps/etc", error.Source.Path);
    }

    [Fact]
    public async Task A_relative_symlink_climbing_out_is_rejected()
    {
        _repo.Write("apps/ok.yaml", Yaml.ConfigMap("ok")).Link("apps/up", "../../../../../../../../../../etc");

        var result = await Render("apps");

        Assert.Equal(ManifestErrorCode.PathEscape, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task Symlinks_inside_the_repository_are_followed_and_read_once()
    {
        _repo.Write("shared/cm.yaml", Yaml.ConfigMap("shared"))
            .Write("apps/own.yaml", Yaml.ConfigMap("own"))
            .Link("apps/shared", "../shared")
            .Link("apps/loop", ".");

        var result = await Render("apps");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["own", "shared"], result.Manifests.Refs.Select(r => r.Name));
        Assert.Equal("apps/shared/cm.yaml", result.Manifests.Manifests.Single(m => m.Ref.Name == "shared").Source.Path);
    }

    [Fact]
    public async Task A_bundle_path_that_is_a_symlink_out_of_the_repository_is_rejected()
    {
        _outside.Write("cm.yaml", Yaml.ConfigMap("stolen"));
        _repo.Link("apps", _outside.Root);

        var result = await Render("apps");

        Assert.Equal(ManifestErrorCode.PathEscape, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("apps/../..")]
    [InlineData("apps/../other")]
    [InlineData("/etc")]
    public async Task Bundle_paths_with_dot_dot_or_absolute_are_rejected(string path)
    {
        _repo.Write("apps/a.yaml", Yaml.ConfigMap("a")).Write("other/o.yaml", Yaml.ConfigMap("o"));

        var result = await Render(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.PathEscape, error.Code);
        Assert.Equal(path, error.Source.Path);
    }

    [Fact]
    public async Task A_missing_path_is_reported()
    {
        var result = await Render("nope");

        Assert.Equal(ManifestErrorCode.ReadFailed, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task An_oversized_file_is_rejected_by_name_and_the_rest_still_checked()
    {
        _repo.Write("a-big.yaml", Yaml.ConfigMap("big") + "# " + new string('x', 2_000) + "\n")
            .Write("b-bad.yaml", "kind: [\n")
            .Write("c-ok.yaml", Yaml.ConfigMap("ok"));

        var result = await Render("", RenderLimits.Default with { MaxFileBytes = 1_000 });

        Assert.Equal(
            [(ManifestErrorCode.LimitExceeded, "a-big.yaml"), (ManifestErrorCode.InvalidYaml, "b-bad.yaml")],
            result.Errors.Select(e => (e.Code, e.Source.Path)));
    }

    [Fact]
    public async Task A_namespace_on_a_cluster_scoped_kind_is_dropped_with_a_warning_and_the_render_succeeds()
    {
        _repo.Write("rbac.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: reader, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            """ + "\n---\n" + Yaml.ConfigMap("cfg"));

        var result = await Render("");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var binding = result.Manifests.Manifests.Single(m => m.Ref.Kind == "ClusterRoleBinding");
        Assert.Equal("", binding.Ref.Namespace);
        var warning = Assert.Single(result.Manifests.Warnings);
        Assert.Equal("rbac.yaml[0]: namespace kube-system ignored: rbac.authorization.k8s.io/ClusterRoleBinding/reader is cluster-scoped", warning.ToString());
    }

    [Fact]
    public async Task A_file_over_the_default_16_MiB_is_rejected()
    {
        _repo.Write("huge.yaml", Yaml.ConfigMap("huge") + "# " + new string('x', (int)(16 * RenderLimits.MiB)) + "\n");

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Equal("huge.yaml", error.Source.Path);
        Assert.Contains($"larger than {16 * RenderLimits.MiB} bytes", error.Message);
    }

    [Fact]
    public async Task A_multi_mebibyte_release_file_renders_with_the_defaults()
    {
        // Bigger than the old 1 MiB cap, like cert-manager's 1.4 MB release file: 1,500 objects of about 1.4 KB.
        var release = new StringBuilder();
        for (var i = 0; i < 1_500; i++)
        {
            release.Append("---\n").Append(Yaml.ConfigMap($"c{i}", "shop")).Append("  padding: ").Append('p', 1_300).Append('\n');
        }

        _repo.Write("release.yaml", release.ToString());

        var result = await Render("");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(release.Length > 2 * RenderLimits.MiB, $"release is only {release.Length} bytes");
        Assert.Equal(1_500, result.Manifests.Count);
    }

    [Fact]
    public async Task More_than_the_default_64_MiB_in_one_render_stops_it()
    {
        // Five files of 15 MiB each: every one is under the file cap, together they pass the render cap.
        for (var i = 0; i < 5; i++)
        {
            _repo.Write($"f{i}.yaml", Yaml.ConfigMap($"c{i}") + "# " + new string('x', (int)(15 * RenderLimits.MiB)) + "\n");
        }

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Equal("f4.yaml", error.Source.Path);
        Assert.Contains($"more than {64 * RenderLimits.MiB} bytes", error.Message);
    }

    [Fact]
    public async Task Too_many_files_stops_the_render()
    {
        for (var i = 0; i < 5; i++)
        {
            _repo.Write($"f{i}.yaml", Yaml.ConfigMap($"c{i}"));
        }

        var result = await Render("", RenderLimits.Default with { MaxFiles = 3 });

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Equal("f3.yaml", error.Source.Path);
    }

    [Fact]
    public async Task Too_many_total_bytes_stops_the_render()
    {
        for (var i = 0; i < 4; i++)
        {
            _repo.Write($"f{i}.yaml", Yaml.ConfigMap($"c{i}") + "# " + new string('x', 400) + "\n");
        }

        var result = await Render("", RenderLimits.Default with { MaxTotalBytes = 1_200 });

        Assert.Equal(ManifestErrorCode.LimitExceeded, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task Too_many_documents_across_files_stops_the_render()
    {
        _repo.Write("a.yaml", Yaml.ConfigMap("a1") + "---\n" + Yaml.ConfigMap("a2"))
            .Write("b.yaml", Yaml.ConfigMap("b1") + "---\n" + Yaml.ConfigMap("b2"))
            .Write("c.yaml", Yaml.ConfigMap("c1"));

        var result = await Render("", RenderLimits.Default with { MaxDocuments = 3 });

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Equal(new SourceLocation("b.yaml", 1), error.Source);
    }

    [Fact]
    public async Task The_same_object_in_two_files_is_rejected_naming_both()
    {
        _repo.Write("base/web.yaml", Yaml.Deployment("web"))
            .Write("extra/copy.yaml", Yaml.ConfigMap("other") + "---\n" + Yaml.Deployment("web"));

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.DuplicateObject, error.Code);
        Assert.Contains("base/web.yaml[0]", error.Message);
        Assert.Contains("extra/copy.yaml[1]", error.Message);
    }

    [Fact]
    public async Task Invalid_objects_are_reported_with_file_and_document()
    {
        _repo.Write("bad.yaml", Yaml.ConfigMap("ok") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n");

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.InvalidObject, error.Code);
        Assert.Equal(new SourceLocation("bad.yaml", 1), error.Source);
    }

    [Fact]
    public async Task Files_that_are_not_utf8_are_reported()
    {
        _repo.WriteBytes("latin1.yaml", Encoding.Latin1.GetBytes("kind: X\nv: caf\u00e9\n"));

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.ReadFailed, error.Code);
        Assert.Equal("latin1.yaml", error.Source.Path);
    }

    [Fact]
    public async Task An_alias_bomb_file_fails_the_render_quickly()
    {
        _repo.Write("lol.yaml", Yaml.BillionLaughs()).Write("ok.yaml", Yaml.ConfigMap("ok"));

        var result = await Render("");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestErrorCode.LimitExceeded, error.Code);
        Assert.Equal("lol.yaml", error.Source.Path);
    }

    [Fact]
    public async Task An_empty_directory_renders_an_empty_set()
    {
        Directory.CreateDirectory(_repo.PathOf("empty"));

        var result = await Render("empty");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Manifests);
    }

    [Fact]
    public async Task A_file_unchanged_since_the_last_render_keeps_its_manifest_instances_and_a_changed_one_gets_new_ones()
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default));
        _repo.Write("app/same.yaml", Yaml.ConfigMap("same")).Write("app/moves.yaml", Yaml.ConfigMap("moves"));
        var first = await renderer.RenderAsync(_repo.Root, "app", CancellationToken.None);
        _repo.Write("app/moves.yaml", Yaml.ConfigMap("moves") + "  extra: \"1\"\n");

        var second = await renderer.RenderAsync(_repo.Root, "app", CancellationToken.None);

        Manifest Of(RenderResult r, string name) => r.Manifests!.Manifests.Single(m => m.Ref.Name == name);
        Assert.Same(Of(first, "same"), Of(second, "same"));
        Assert.NotSame(Of(first, "moves"), Of(second, "moves"));
        Assert.Equal("1", Of(second, "moves").Object["data"]!["extra"]!.GetValue<string>());
    }

    [Fact]
    public async Task Files_met_before_still_count_against_the_render_limits()
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default with { MaxObjects = 3 }, new KustomizeRunner(KustomizeRunnerOptions.Default));
        _repo.Write("a.yaml", Yaml.ConfigMap("a1") + "---\n" + Yaml.ConfigMap("a2"));
        Assert.True((await renderer.RenderAsync(_repo.Root, "", CancellationToken.None)).Succeeded);
        _repo.Write("b.yaml", Yaml.ConfigMap("b1") + "---\n" + Yaml.ConfigMap("b2"));

        var over = await renderer.RenderAsync(_repo.Root, "", CancellationToken.None);

        Assert.Contains(over.Errors, e => e.Code == ManifestErrorCode.LimitExceeded);
    }

    [Fact]
    public async Task A_file_known_by_its_id_is_not_read_again_unless_reached_through_a_symlink_or_its_id_changed()
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default));
        _repo.Write("app/a.yaml", Yaml.ConfigMap("a")).Write("shared/c.yaml", Yaml.ConfigMap("c")).Link("app/c.yaml", "../shared/c.yaml");
        var ids = new Dictionary<string, string> { ["app/a.yaml"] = "id-a", ["app/c.yaml"] = "id-of-the-link" };
        Assert.Equal(["a", "c"], Names(await renderer.RenderAsync(_repo.Root, "app", ids, CancellationToken.None)));
        // The render trusts the ids (a snapshot nobody writes): changing bytes behind its back shows which files it read again.
        _repo.Write("app/a.yaml", Yaml.ConfigMap("a-on-disk")).Write("shared/c.yaml", Yaml.ConfigMap("c-on-disk"));

        var same = await renderer.RenderAsync(_repo.Root, "app", ids, CancellationToken.None);
        var changed = await renderer.RenderAsync(_repo.Root, "app", new Dictionary<string, string>(ids) { ["app/a.yaml"] = "id-a2" }, CancellationToken.None);

        // A symlink's id is the link's, never the content it leads to: c.yaml is read every time.
        Assert.Equal(["a", "c-on-disk"], Names(same));
        Assert.Equal(["a-on-disk", "c-on-disk"], Names(changed));
        static IEnumerable<string> Names(RenderResult r) => r.Manifests!.Manifests.Select(m => m.Ref.Name).Order(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Files_known_by_their_id_still_count_against_the_render_limits()
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default with { MaxFiles = 2 }, new KustomizeRunner(KustomizeRunnerOptions.Default));
        _repo.Write("a.yaml", Yaml.ConfigMap("a")).Write("b.yaml", Yaml.ConfigMap("b"));
        var ids = new Dictionary<string, string> { ["a.yaml"] = "1", ["b.yaml"] = "2", ["c.yaml"] = "3" };
        Assert.True((await renderer.RenderAsync(_repo.Root, "", ids, CancellationToken.None)).Succeeded);
        _repo.Write("c.yaml", Yaml.ConfigMap("c"));

        var over = await renderer.RenderAsync(_repo.Root, "", ids, CancellationToken.None);

        Assert.Contains(over.Errors, e => e.Code == ManifestErrorCode.LimitExceeded);
    }

    private Task<RenderResult> Render(string path, RenderLimits? limits = null) =>
        new DirectoryRenderer(limits ?? RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default))
            .RenderAsync(_repo.Root, path, CancellationToken.None);

    private static SourceLocation Source(RenderResult result, string name) =>
        result.Manifests!.Manifests.Single(m => m.Ref.Name == name).Source;
}
