using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

/// <summary>Fetches from real bare repositories through file:// (AllowLocal) and checks the snapshots on disk.</summary>
public sealed class GitFetcherTests : IAsyncLifetime
{
    private readonly FetcherWorkspace _workspace = new();
    private TestRemote _remote = null!;

    public async Task InitializeAsync() => _remote = await TestRemote.CreateAsync();

    public Task DisposeAsync()
    {
        _remote.Dispose();
        _workspace.Dispose();
        return Task.CompletedTask;
    }

    private GitSourceSpec Spec(GitRef? gitRef = null) => new(_remote.FileUrl) { Ref = gitRef ?? GitRef.DefaultBranch };

    [Fact]
    public async Task Branch_fetch_exports_the_tip_tree_into_a_snapshot_named_by_the_commit()
    {
        var sha = await _remote.CommitAsync(new Dictionary<string, string>
        {
            ["apps/web/deployment.yaml"] = "kind: Deployment\n",
            ["README.md"] = "fleet\n",
        });

        var result = await _workspace.FetchAsync(Spec());

        Assert.Equal(sha, result.CommitSha);
        Assert.Equal(Path.Combine(_workspace.SnapshotsPath, sha), result.SnapshotDirectory);
        Assert.False(result.ReusedSnapshot);
        Assert.Equal(_workspace.Time.GetUtcNow(), result.FetchedAt);
        Assert.Equal(["README.md: fleet\n", "apps/web/deployment.yaml: kind: Deployment\n"], FetcherWorkspace.Describe(result.SnapshotDirectory));
        Assert.Equal([$"snapshots/{sha}"], _workspace.SnapshotAndTemporaryEntries());
    }

    [Fact]
    public async Task Executable_bit_is_kept_and_symlinks_stay_symlinks_with_their_committed_target()
    {
        await File.WriteAllTextAsync(Path.Combine(_remote.WorkPath, "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(_remote.WorkPath, "run.sh"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(_remote.WorkPath, "values.yaml"), "a: 1\n");
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "inside"), "values.yaml");
        File.CreateSymbolicLink(Path.Combine(_remote.WorkPath, "escape"), "../../../../../etc/passwd");
        await _remote.CommitAllAsync("links");

        var result = await _workspace.FetchAsync(Spec());

        Assert.Equal(
            ["escape -> ../../../../../etc/passwd", "inside -> values.yaml", "run.sh: #!/bin/sh\n", "values.yaml: a: 1\n"],
            FetcherWorkspace.Describe(result.SnapshotDirectory));
        Assert.True(File.GetUnixFileMode(Path.Combine(result.SnapshotDirectory, "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(result.SnapshotDirectory, "values.yaml")).HasFlag(UnixFileMode.UserExecute));
        // Files are known by their blob ids (content identities a renderer may trust); a symlink's blob is its target's name, so links have none.
        Assert.Equal(["run.sh", "values.yaml"], result.FileIds!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await _remote.GitAsync("rev-parse", "HEAD:values.yaml"), result.FileIds["values.yaml"]);
        // Fetched again, the snapshot this cache exported last keeps its ids.
        var again = await _workspace.FetchAsync(Spec());
        Assert.True(again.ReusedSnapshot);
        Assert.Equal(result.FileIds, again.FileIds);
    }

    [Fact]
    public async Task Tags_resolve_to_their_commit_lightweight_or_annotated()
    {
        var tagged = await _remote.CommitAsync(new Dictionary<string, string> { ["v.txt"] = "one" });
        await _remote.TagAsync("v1.0.0", annotated: true);
        await _remote.TagAsync("light", annotated: false);
        await _remote.CommitAsync(new Dictionary<string, string> { ["v.txt"] = "two" });

        var annotated = await _workspace.FetchAsync(Spec(GitRef.Tag("v1.0.0")));
        var lightweight = await _workspace.FetchAsync(Spec(GitRef.Tag("light")));

        Assert.Equal(tagged, annotated.CommitSha);
        Assert.Equal(["v.txt: one"], FetcherWorkspace.Describe(annotated.SnapshotDirectory));
        Assert.Equal(tagged, lightweight.CommitSha);
        Assert.True(lightweight.ReusedSnapshot);
    }

    [Fact]
    public async Task Commit_ref_fetches_an_older_commit_by_sha()
    {
        var old = await _remote.CommitAsync(new Dictionary<string, string> { ["v.txt"] = "old" });
        await _remote.CommitAsync(new Dictionary<string, string> { ["v.txt"] = "new" });

        var result = await _workspace.FetchAsync(Spec(GitRef.Commit(old.ToUpperInvariant())));

        Assert.Equal(old, result.CommitSha);
        Assert.Equal(["v.txt: old"], FetcherWorkspace.Describe(result.SnapshotDirectory));
    }

    [Fact]
    public async Task Fetching_the_same_commit_again_reuses_the_snapshot_without_exporting()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "a" });
        var first = await _workspace.FetchAsync(Spec());
        // A file the exporter would never write: it survives only if the snapshot is not rewritten.
        await File.WriteAllTextAsync(Path.Combine(first.SnapshotDirectory, "marker"), "kept");
        _workspace.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await _workspace.FetchAsync(Spec());
        var byCommit = await _workspace.FetchAsync(Spec(GitRef.Commit(first.CommitSha)));

        Assert.Equal(first.CommitSha, second.CommitSha);
        Assert.True(second.ReusedSnapshot);
        Assert.True(byCommit.ReusedSnapshot);
        Assert.Equal(first.FetchedAt + TimeSpan.FromMinutes(1), second.FetchedAt);
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(second.SnapshotDirectory, "marker")));
    }

    [Fact]
    public async Task A_new_commit_gives_a_new_snapshot_and_the_old_one_stays()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "1" });
        var first = await _workspace.FetchAsync(Spec());
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "2" });

        var second = await _workspace.FetchAsync(Spec());

        Assert.NotEqual(first.CommitSha, second.CommitSha);
        Assert.False(second.ReusedSnapshot);
        Assert.Equal(["a.yaml: 1"], FetcherWorkspace.Describe(first.SnapshotDirectory));
        Assert.Equal(["a.yaml: 2"], FetcherWorkspace.Describe(second.SnapshotDirectory));
        Assert.Equal(new[] { first.CommitSha, second.CommitSha }.Order(StringComparer.Ordinal), _workspace.Store.List().Select(s => s.CommitSha));
    }

    [Fact]
    public async Task A_new_commit_links_its_unchanged_files_from_the_last_snapshot_and_writes_the_changed_ones()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "1", ["apps/b.yaml"] = "b" });
        var first = await _workspace.FetchAsync(Spec());
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "2" });

        var second = await _workspace.FetchAsync(Spec());

        Assert.Equal(["a.yaml: 1", "apps/b.yaml: b"], FetcherWorkspace.Describe(first.SnapshotDirectory));
        Assert.Equal(["a.yaml: 2", "apps/b.yaml: b"], FetcherWorkspace.Describe(second.SnapshotDirectory));
        Assert.Equal(await InodeAsync(first, "apps/b.yaml"), await InodeAsync(second, "apps/b.yaml"));
        Assert.NotEqual(await InodeAsync(first, "a.yaml"), await InodeAsync(second, "a.yaml"));
    }

    [Fact]
    public async Task When_the_last_snapshot_was_collected_every_file_is_written_from_the_cache()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "1", ["apps/b.yaml"] = "b" });
        var first = await _workspace.FetchAsync(Spec());
        Directory.Delete(first.SnapshotDirectory, recursive: true);
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "2" });

        var second = await _workspace.FetchAsync(Spec());

        Assert.Equal(["a.yaml: 2", "apps/b.yaml: b"], FetcherWorkspace.Describe(second.SnapshotDirectory));
    }

    private static async Task<string> InodeAsync(GitFetchResult snapshot, string path) =>
        (await TestProcess.RunAsync(snapshot.SnapshotDirectory, "stat", "-c", "%i", path)).Trim();

    [Fact]
    public async Task A_force_push_is_followed_to_the_rewritten_commit()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "base" });
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "original" });
        var before = await _workspace.FetchAsync(Spec());
        await File.WriteAllTextAsync(Path.Combine(_remote.WorkPath, "a.yaml"), "rewritten");
        var rewritten = await _remote.CommitAllAsync("rewrite", amend: true);

        var after = await _workspace.FetchAsync(Spec());

        Assert.NotEqual(before.CommitSha, rewritten);
        Assert.Equal(rewritten, after.CommitSha);
        Assert.Equal(["a.yaml: rewritten"], FetcherWorkspace.Describe(after.SnapshotDirectory));
    }

    [Theory]
    [InlineData("branch")]
    [InlineData("tag")]
    [InlineData("commit")]
    public async Task An_unknown_ref_is_RefNotFound(string kind)
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "a" });
        // A branch whose name ends like the one asked for must not match (only the exact ref is fetched).
        await _remote.GitAsync("push", "--quiet", _remote.BarePath, "HEAD:refs/heads/team/nope");
        var gitRef = kind switch
        {
            "branch" => GitRef.Branch("nope"),
            "tag" => GitRef.Tag("nope"),
            _ => GitRef.Commit(new string('a', 40)),
        };

        var failure = await _workspace.FailAsync(Spec(gitRef));

        Assert.Equal(GitFailureKind.RefNotFound, failure.Kind);
        Assert.StartsWith($"git source {_remote.FileUrl} ({gitRef}):", failure.Message);
        Assert.DoesNotContain(_workspace.SnapshotAndTemporaryEntries(), e => e.StartsWith("snapshots/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tree")]
    [InlineData("blob")]
    public async Task A_branch_whose_tip_is_not_a_commit_is_RefNotFound(string type)
    {
        var commit = await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "a" });
        // git refuses to point a branch at anything but a commit; a crafted remote can still, by writing the ref file.
        var tip = type == "tree" ? await _remote.GitAsync("rev-parse", commit + "^{tree}") : await _remote.GitAsync("rev-parse", commit + ":a.yaml");
        await File.WriteAllTextAsync(Path.Combine(_remote.BarePath, "refs", "heads", "odd"), tip + "\n");

        var failure = await _workspace.FailAsync(Spec(GitRef.Branch("odd")));

        Assert.Equal(GitFailureKind.RefNotFound, failure.Kind);
        Assert.Contains("does not name a commit", failure.Message);
        Assert.DoesNotContain(_workspace.SnapshotAndTemporaryEntries(), e => e.StartsWith("snapshots/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetches_leave_housekeeping_to_MaintainAsync_which_packs_the_cache_and_fetches_go_on_from_packed_refs_and_objects()
    {
        // Each commit of 150 new files arrives as a pack of its own (over git's unpack limit of 100 objects).
        for (var round = 0; round < 2; round++)
            await _remote.CommitAsync(Enumerable.Range(0, 150).ToDictionary(i => $"r{round}/f{i}.yaml", i => $"{round}-{i}"));
        var first = await _workspace.FetchAsync(Spec());
        var cache = Directory.GetDirectories(Path.Combine(_workspace.Root, "cache")).Single();
        await TestProcess.RunAsync(cache, "git", "--git-dir", cache, "config", "gc.autoPackLimit", "1");
        var second = await _remote.CommitAsync(Enumerable.Range(0, 150).ToDictionary(i => $"r2/f{i}.yaml", i => $"2-{i}"));
        Assert.Equal(second, (await _workspace.FetchAsync(Spec())).CommitSha);
        // Two packs over a limit of one: git's automatic maintenance would have repacked them during the fetch.
        Assert.Equal(2, Packs(cache));

        Assert.Empty(await _workspace.Fetcher.MaintainAsync(CancellationToken.None));

        Assert.Equal(1, Packs(cache));
        Assert.True(File.Exists(Path.Combine(cache, "packed-refs")));
        Assert.False(File.Exists(Path.Combine(cache, "refs", "flotilla", "heads", "main")));
        // The tip now lives in packed-refs and a pack: read back through rev-parse, unchanged.
        var again = await _workspace.FetchAsync(Spec());
        Assert.Equal((second, true), (again.CommitSha, again.ReusedSnapshot));
        var third = await _remote.CommitAsync(new Dictionary<string, string> { ["r2/f0.yaml"] = "changed" });
        var next = await _workspace.FetchAsync(Spec());
        Assert.Equal((third, false), (next.CommitSha, next.ReusedSnapshot));
        Assert.Contains("r2/f0.yaml: changed", FetcherWorkspace.Describe(next.SnapshotDirectory));
        Assert.NotEqual(first.CommitSha, next.CommitSha);
    }

    private static int Packs(string cache) => Directory.GetFiles(Path.Combine(cache, "objects", "pack"), "*.pack").Length;

    [Fact]
    public async Task A_missing_repository_is_Unreachable()
    {
        var failure = await _workspace.FailAsync(new GitSourceSpec("file://" + Path.Combine(_remote.WorkPath, "missing.git")));

        Assert.Equal(GitFailureKind.Unreachable, failure.Kind);
        Assert.Contains("does not appear to be a git repository", failure.Message);
    }

    [Fact]
    public async Task Too_many_files_is_LimitExceeded_and_leaves_no_snapshot()
    {
        await _remote.CommitAsync(Enumerable.Range(0, 6).ToDictionary(i => $"dir/f{i}.yaml", i => "x"));
        var limits = new GitFetchLimits { MaxFiles = 5 };

        var failure = await _workspace.FailAsync(Spec() with { Limits = limits });

        Assert.Equal(GitFailureKind.LimitExceeded, failure.Kind);
        Assert.Contains("more than 5 files", failure.Message);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());

        // At the limit exactly, the same commit is fine.
        await _remote.GitAsync("rm", "--quiet", "dir/f5.yaml");
        await _remote.CommitAllAsync("remove one");
        Assert.Equal(5, FetcherWorkspace.Describe((await _workspace.FetchAsync(Spec() with { Limits = limits })).SnapshotDirectory).Count);
    }

    [Fact]
    public async Task Too_many_bytes_is_LimitExceeded_and_leaves_no_snapshot()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = new('a', 600), ["b.yaml"] = new('b', 600) });

        var failure = await _workspace.FailAsync(Spec() with { Limits = new GitFetchLimits { MaxSnapshotBytes = 1000 } });

        Assert.Equal(GitFailureKind.LimitExceeded, failure.Kind);
        Assert.Contains("more than 1000 bytes", failure.Message);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
        Assert.Equal(2, FetcherWorkspace.Describe((await _workspace.FetchAsync(Spec() with { Limits = new GitFetchLimits { MaxSnapshotBytes = 1200 } })).SnapshotDirectory).Count);
    }

    [Fact]
    public async Task Local_urls_are_NotAllowed_unless_AllowLocal_and_nothing_is_created()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "a" });
        using var strict = new FetcherWorkspace(allowLocal: false);

        foreach (var url in new[] { _remote.FileUrl, _remote.BarePath, "FILE://" + _remote.BarePath })
        {
            var failure = await strict.FailAsync(new GitSourceSpec(url));
            Assert.Equal(GitFailureKind.NotAllowed, failure.Kind);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(strict.Root));
    }

    [Theory]
    [InlineData("dot-git", "'.git/config' has a '.git' component")]
    [InlineData("dot-dot", "'..' has an empty, '.' or '..' component")]
    [InlineData("file-and-directory", "'a/config' lies below the file or symlink 'a'")]
    [InlineData("duplicate", "'a' appears twice")]
    [InlineData("too-deep", "longer than 4096 characters")]
    [InlineData("empty-symlink", "symlink 'link' has an empty or invalid target")]
    public async Task Trees_that_cannot_be_exported_safely_are_NotAllowed_and_leave_nothing(string shape, string reason)
    {
        IReadOnlyList<(string, string, object)> config = [("100644", "config", "[core]\n")];
        IReadOnlyList<(string, string, object)> entries = shape switch
        {
            "dot-git" => [("040000", ".git", config), ("100644", "ok.yaml", "ok")],
            "dot-dot" => [("100644", "..", "escape"), ("100644", "ok.yaml", "ok")],
            "file-and-directory" => [("100644", "a", "file"), ("040000", "a", config)],
            // 42 directories of 100 characters: a path no file system here takes, walked no further.
            "too-deep" => Enumerable.Range(0, 42).Aggregate(config, (inner, _) => [("040000", new string('d', 100), inner)]),
            "empty-symlink" => [("120000", "link", ""), ("100644", "ok.yaml", "ok")],
            _ => [("100644", "a", "one"), ("100755", "a", "two")],
        };
        var sha = await _remote.PushCraftedTreeAsync(entries);

        // Refused before the commit is handed over (what the hub does), not while the rest of its snapshot is linked.
        var failure = await Assert.ThrowsAsync<GitFetchException>(() => _workspace.Fetcher.FetchListedAsync(Spec(), CancellationToken.None));

        Assert.Equal(GitFailureKind.NotAllowed, failure.Kind);
        Assert.Contains(reason, failure.Message);
        Assert.Contains(sha, failure.Message);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
    }
}
