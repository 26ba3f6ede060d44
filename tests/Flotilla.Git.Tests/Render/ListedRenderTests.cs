using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Git.Tests.Sources;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Git.Tests.Render;

/// <summary>
/// A fetched commit rendered from its listing (<see cref="DirectoryRenderer.TryRenderListed"/>, while its snapshot is still
/// being linked) must be exactly what rendering its snapshot gives — the same objects in the same order, from the same
/// files, with the same errors — or nothing, when only the snapshot can tell. Each test fetches two commits of a real
/// repository: the first one is rendered from its snapshot (what the hub parsed before), the second from its listing, and
/// compared with a fresh renderer's rendering of the second snapshot.
/// </summary>
public sealed class ListedRenderTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("flotilla-listed-");
    private TestRemote _remote = null!;
    private GitFetcher _fetcher = null!;

    public async Task InitializeAsync()
    {
        _remote = await TestRemote.CreateAsync();
        _fetcher = new GitFetcher(new GitFetcherOptions { WorkDirectory = _work.FullName, AllowLocal = true }, new FakeTimeProvider());
    }

    public Task DisposeAsync()
    {
        _remote.Dispose();
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private GitSourceSpec Spec => new(_remote.FileUrl) { Ref = GitRef.DefaultBranch };

    private static DirectoryRenderer Renderer(RenderLimits? limits = null) =>
        new(limits ?? RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default));

    // The second commit as fetched for the hub (answered before its export is done), after the first was rendered from its snapshot.
    private async Task<(DirectoryRenderer Renderer, GitFetchResult Second)> TwoCommitsAsync(string path, Action<string> change, RenderLimits? limits = null)
    {
        var renderer = Renderer(limits);
        var first = await _fetcher.FetchAsync(Spec, CancellationToken.None);
        await renderer.RenderAsync(first.SnapshotDirectory, path, first.FileIds, CancellationToken.None);
        change(_remote.WorkPath);
        await _remote.CommitAllAsync("second");
        var second = await _fetcher.FetchListedAsync(Spec, CancellationToken.None);
        return (renderer, second);
    }

    private async Task AssertListedEqualsSnapshotAsync(DirectoryRenderer renderer, GitFetchResult second, string path, RenderLimits? limits = null)
    {
        Assert.NotNull(second.Listing);
        var listed = renderer.TryRenderListed(second.Listing!, path);
        await second.Exported;
        var fromSnapshot = await Renderer(limits).RenderAsync(second.SnapshotDirectory, path, CancellationToken.None);
        Assert.NotNull(listed);
        Assert.Equal(Describe(fromSnapshot), Describe(listed!));
    }

    private static List<string> Describe(RenderResult result) =>
        [.. result.Errors.Select(e => "error " + e), .. (result.Manifests ?? Flotilla.Core.Manifests.ManifestSet.Empty).Manifests
            .Select(m => $"{m.Ref} ({m.Source}) {m.Object.ToJsonString()} [{string.Join("; ", m.Warnings)}]")];

    private static void Append(string file, string text) => File.AppendAllText(file, text);

    /// <summary>The real corpus's plain directories (kustomize trees are rendered from their snapshots, below), three files changed.</summary>
    [Theory]
    [InlineData("kubernetes-dashboard")]
    [InlineData("flux2")]
    [InlineData("knative-serving")] // duplicates across its files: the same errors, naming the same files
    [InlineData("node-problem-detector/deployment")]
    [InlineData("")] // the whole corpus: the walk meets the kustomize trees, so only the snapshot can render it
    public async Task A_real_directory_renders_from_the_listing_as_from_the_snapshot(string path)
    {
        CopyDirectory(RealWorldCorpus.Manifests, _remote.WorkPath);
        await _remote.CommitAllAsync("corpus");
        var (renderer, second) = await TwoCommitsAsync(path, work =>
        {
            var files = Directory.GetFiles(Path.Combine(work, path), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var file in new[] { files[0], files[files.Count / 2], files[^1] }) Append(file, "\n# changed by the test\n");
        });

        if (path.Length == 0)
        {
            Assert.Null(renderer.TryRenderListed(second.Listing!, path));
            await second.Exported;
            return;
        }
        await AssertListedEqualsSnapshotAsync(renderer, second, path);
    }

    [Fact]
    public async Task The_walk_order_hidden_names_extensions_new_and_removed_files_and_duplicates_match_the_snapshot()
    {
        await _remote.CommitAsync(new Dictionary<string, string>
        {
            ["apps/a.yaml"] = Yaml.ConfigMap("a"),
            ["apps/a/x.yaml"] = Yaml.ConfigMap("ax"),
            ["apps/a-b/y.yml"] = Yaml.ConfigMap("ab"),
            // One object in two files whose order a plain string sort would swap ('-' sorts before '/'): the error names them in the walk's order.
            ["apps/a/dup.yaml"] = Yaml.ConfigMap("dup"),
            ["apps/a-b/dup.yaml"] = Yaml.ConfigMap("dup"),
            ["apps/B.YAML"] = Yaml.ConfigMap("upper"),
            ["apps/j.json"] = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j","namespace":"shop"}}""",
            ["apps/.hidden/h.yaml"] = Yaml.ConfigMap("hidden"),
            ["apps/deep/.dot.yaml"] = Yaml.ConfigMap("dot"),
            ["apps/deep/er/est/z.yaml"] = Yaml.ConfigMap("z"),
            ["apps/notes.txt"] = "not a manifest",
            ["apps/gone.yaml"] = Yaml.ConfigMap("gone"),
            ["other/o.yaml"] = Yaml.ConfigMap("elsewhere"),
        });
        var (renderer, second) = await TwoCommitsAsync("apps", work =>
        {
            Append(Path.Combine(work, "apps/a/x.yaml"), "---\n" + Yaml.ConfigMap("ax2"));
            Directory.CreateDirectory(Path.Combine(work, "apps/new"));
            File.WriteAllText(Path.Combine(work, "apps/new/n.yaml"), Yaml.ConfigMap("z")); // the same object as deep/er/est/z.yaml
            File.Delete(Path.Combine(work, "apps/gone.yaml"));
        });

        await AssertListedEqualsSnapshotAsync(renderer, second, "apps");
        Assert.Contains("DuplicateObject", string.Join(",", renderer.TryRenderListed(second.Listing!, "apps")!.Errors.Select(e => e.Code)));
    }

    [Fact]
    public async Task A_render_that_runs_out_of_its_limits_on_a_changed_file_fails_as_from_the_snapshot()
    {
        await _remote.CommitAsync(Enumerable.Range(0, 12).ToDictionary(i => $"apps/f{i:00}.yaml", i => Yaml.ConfigMap($"c{i}")));
        var limits = RenderLimits.Default with { MaxFiles = 12 };
        // The commit adds a thirteenth file, last in the walk: one file too many.
        var (renderer, second) = await TwoCommitsAsync("apps", work => File.WriteAllText(Path.Combine(work, "apps/z.yaml"), Yaml.ConfigMap("added")), limits);

        await AssertListedEqualsSnapshotAsync(renderer, second, "apps", limits);
        Assert.Contains(renderer.TryRenderListed(second.Listing!, "apps")!.Errors, e => e.Code == Flotilla.Core.Manifests.ManifestErrorCode.LimitExceeded);
    }

    [Fact]
    public async Task A_render_that_runs_out_of_its_limits_on_an_unchanged_file_is_left_to_the_snapshot()
    {
        await _remote.CommitAsync(Enumerable.Range(0, 12).ToDictionary(i => $"apps/f{i:00}.yaml", i => Yaml.ConfigMap($"c{i}")));
        var limits = RenderLimits.Default with { MaxFiles = 12 };
        // The thirteenth file comes first in the walk: the limit is met at an unchanged file, whose bytes the listing lacks.
        var (renderer, second) = await TwoCommitsAsync("apps", work => File.WriteAllText(Path.Combine(work, "apps/a.yaml"), Yaml.ConfigMap("added")), limits);

        Assert.Null(renderer.TryRenderListed(second.Listing!, "apps"));
        await second.Exported;
    }

    [Fact]
    public async Task A_changed_file_that_is_not_valid_yaml_or_utf8_fails_as_from_the_snapshot()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["apps/a.yaml"] = Yaml.ConfigMap("a"), ["apps/b.yaml"] = Yaml.ConfigMap("b") });
        var (renderer, second) = await TwoCommitsAsync("apps", work =>
        {
            File.WriteAllText(Path.Combine(work, "apps/a.yaml"), "kind: [unclosed\n");
            File.WriteAllBytes(Path.Combine(work, "apps/b.yaml"), [0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
        });

        await AssertListedEqualsSnapshotAsync(renderer, second, "apps");
    }

    [Fact]
    public async Task Only_the_snapshot_can_render_kustomizations_symlinks_a_file_path_or_files_never_parsed()
    {
        await _remote.CommitAsync(new Dictionary<string, string>
        {
            ["plain/a.yaml"] = Yaml.ConfigMap("a"),
            ["plain/b.yaml"] = Yaml.ConfigMap("b"),
            ["kust/kustomization.yaml"] = "resources: [cm.yaml]\n",
            ["kust/cm.yaml"] = Yaml.ConfigMap("k"),
            ["nested/sub/kustomization.yaml"] = "resources: [cm.yaml]\n",
            ["nested/sub/cm.yaml"] = Yaml.ConfigMap("n"),
            ["nested/b.yaml"] = Yaml.ConfigMap("b"),
            ["linked/real.yaml"] = Yaml.ConfigMap("r"),
            ["target/t.yaml"] = Yaml.ConfigMap("t"),
        });
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "linked/alias.yaml"), "real.yaml");
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "via"), "target");
        await _remote.CommitAllAsync("links");
        var (renderer, second) = await TwoCommitsAsync("plain", work => Append(Path.Combine(work, "plain/a.yaml"), "\n# changed\n"));

        Assert.NotNull(renderer.TryRenderListed(second.Listing!, "plain"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "kust"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "nested"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "linked"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "via"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "plain/a.yaml"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "missing"));
        Assert.Null(renderer.TryRenderListed(second.Listing!, "../plain"));
        // A file unchanged and never parsed by this renderer: its content is only in the snapshot.
        Assert.Null(renderer.TryRenderListed(second.Listing!, "target"));
        Assert.Null(Renderer().TryRenderListed(second.Listing!, "plain"));
        await second.Exported;
    }

    [Fact]
    public async Task The_listing_holds_the_changed_files_and_the_export_completes_the_same_snapshot_as_a_whole_fetch()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = Yaml.ConfigMap("a"), ["d/b.yaml"] = Yaml.ConfigMap("b"), ["d/c.yaml"] = Yaml.ConfigMap("c") });
        await _fetcher.FetchAsync(Spec, CancellationToken.None);
        await _remote.CommitAsync(new Dictionary<string, string> { ["d/b.yaml"] = Yaml.ConfigMap("b2"), ["e/new.yaml"] = Yaml.ConfigMap("n") });

        var second = await _fetcher.FetchListedAsync(Spec, CancellationToken.None);

        // A renderer that parsed nothing: the changed and new files' bytes are in the listing, the unchanged one's are not.
        Assert.NotNull(second.Listing);
        Assert.Equal(["ConfigMap/shop/n"], Renderer().TryRenderListed(second.Listing!, "e")!.Manifests!.Refs.Select(r => r.ToString()));
        Assert.Null(Renderer().TryRenderListed(second.Listing!, "d"));
        await second.Exported;
        using var whole = new FetcherWorkspace();
        var fetched = await whole.FetchAsync(Spec);
        Assert.Equal(FetcherWorkspace.Describe(fetched.SnapshotDirectory), FetcherWorkspace.Describe(second.SnapshotDirectory));
        Assert.Equal(fetched.FileIds, second.FileIds);
    }

    [Fact]
    public async Task A_chart_is_told_from_the_listing_unless_a_symlink_is_on_the_way()
    {
        await _remote.CommitAsync(new Dictionary<string, string>
        {
            ["charts/web/Chart.yaml"] = "apiVersion: v2\nname: web\nversion: 1.0.0\n",
            ["charts/web/templates/cm.yaml"] = Yaml.ConfigMap("c"),
            ["plain/a.yaml"] = Yaml.ConfigMap("a"),
            ["real/Chart.yaml"] = "apiVersion: v2\nname: real\nversion: 1.0.0\n",
        });
        Directory.CreateDirectory(Path.Combine(_remote.WorkPath, "linked"));
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "linked/Chart.yaml"), "../real/Chart.yaml");
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "via"), "charts");
        await _remote.CommitAllAsync("charts");
        var fetched = await _fetcher.FetchListedAsync(Spec, CancellationToken.None);
        await fetched.Exported;
        var listing = fetched.Listing!;

        Assert.True(ChartRenderer.IsChart(listing, "charts/web"));
        Assert.True(ChartRenderer.IsChart(listing, "./charts/web/"));
        Assert.False(ChartRenderer.IsChart(listing, "plain"));
        Assert.False(ChartRenderer.IsChart(listing, ""));
        Assert.False(ChartRenderer.IsChart(listing, "missing"));
        Assert.Null(ChartRenderer.IsChart(listing, "linked"));
        Assert.Null(ChartRenderer.IsChart(listing, "via/web"));
        Assert.Null(ChartRenderer.IsChart(listing, "../x"));
        // What the snapshot says where the listing cannot tell.
        Assert.True(ChartRenderer.IsChart(fetched.SnapshotDirectory, "linked"));
        Assert.True(ChartRenderer.IsChart(fetched.SnapshotDirectory, "via/web"));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            if (new FileInfo(file).LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else File.Copy(file, target);
        }
    }
}
