using Flotilla.Git.Sources;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// A push of a few files arrives loose in the cache and is listed and exported in process; one that arrives packed is
/// listed and read by git. Every git process the fetcher starts is logged by a wrapper around the real git.
/// </summary>
public sealed class GitFetcherLooseObjectTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flotilla-loose-");
    private TestRemote _remote = null!;

    public async Task InitializeAsync() => _remote = await TestRemote.CreateAsync();

    public Task DisposeAsync()
    {
        _remote.Dispose();
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private string Log => Path.Combine(_root.FullName, "git.log");

    private GitFetcher Fetcher(string name)
    {
        var wrapper = Path.Combine(_root.FullName, "git-wrapper");
        if (!File.Exists(wrapper))
        {
            File.WriteAllText(wrapper, $"#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --git-dir=*) ;; *) printf '%s\\n' \"$a\" >> '{Log}'; break;; esac; done\nexec git \"$@\"\n");
            File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        }
        var options = new GitFetcherOptions { WorkDirectory = Path.Combine(_root.FullName, name), AllowLocal = true, GitExecutable = wrapper };
        return new GitFetcher(options, new FakeTimeProvider());
    }

    private GitSourceSpec Spec => new(_remote.FileUrl) { Ref = GitRef.DefaultBranch };

    // The git commands started since the last call.
    private List<string> Commands()
    {
        var commands = File.Exists(Log) ? File.ReadAllLines(Log).ToList() : [];
        File.Delete(Log);
        return commands;
    }

    private async Task CommitRichTreeAsync()
    {
        var work = _remote.WorkPath;
        Directory.CreateDirectory(Path.Combine(work, "apps/web"));
        Directory.CreateDirectory(Path.Combine(work, "apps/copy"));
        foreach (var dir in new[] { "apps/web", "apps/copy" })
            await File.WriteAllTextAsync(Path.Combine(work, dir, "deployment.yaml"), "kind: Deployment\n"); // two directories, one tree
        await File.WriteAllTextAsync(Path.Combine(work, "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(work, "run.sh"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(work, "values.yaml"), "a: 1\n");
        File.CreateSymbolicLink(Path.Combine(work, "apps/link"), "../values.yaml");
        // A submodule: listed by neither git nor a snapshot.
        await _remote.GitAsync("update-index", "--add", "--cacheinfo", $"160000,{new string('1', 40)},vendor/lib");
        await _remote.CommitAllAsync("rich");
    }

    private static readonly string[] RichSnapshot =
        ["apps/copy/deployment.yaml: kind: Deployment\n", "apps/link -> ../values.yaml", "apps/web/deployment.yaml: kind: Deployment\n", "run.sh: #!/bin/sh\n", "values.yaml: a: 1\n"];

    [Fact]
    public async Task A_push_of_a_few_files_is_listed_and_exported_without_a_git_process_after_the_fetch()
    {
        await CommitRichTreeAsync();
        var fetcher = Fetcher("loose");

        var first = await fetcher.FetchAsync(Spec, CancellationToken.None);

        Assert.Equal(["init", "fetch"], Commands());
        Assert.Equal(RichSnapshot, FetcherWorkspace.Describe(first.SnapshotDirectory));
        Assert.True(File.GetUnixFileMode(Path.Combine(first.SnapshotDirectory, "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(first.SnapshotDirectory, "values.yaml")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(await _remote.GitAsync("rev-parse", "HEAD:apps/web/deployment.yaml"), first.FileIds!["apps/web/deployment.yaml"]);

        await _remote.CommitAsync(new Dictionary<string, string> { ["apps/copy/deployment.yaml"] = "kind: Deployment # copy\n" });
        var second = await fetcher.FetchAsync(Spec, CancellationToken.None);

        Assert.Equal(["fetch"], Commands());
        Assert.Equal(["apps/copy/deployment.yaml: kind: Deployment # copy\n", .. RichSnapshot.Skip(1)], FetcherWorkspace.Describe(second.SnapshotDirectory));
    }

    [Fact]
    public async Task The_snapshot_read_in_process_is_the_one_git_reads_from_a_packed_cache()
    {
        var packed = Fetcher("packed");
        await _remote.CommitAsync(new Dictionary<string, string> { ["first.yaml"] = "1" });
        await packed.FetchAsync(Spec, CancellationToken.None);
        var cache = Directory.GetDirectories(Path.Combine(_root.FullName, "packed", "cache")).Single();
        await TestProcess.RunAsync(cache, "git", "--git-dir", cache, "config", "fetch.unpackLimit", "1");
        await CommitRichTreeAsync();
        Commands();

        var byGit = await packed.FetchAsync(Spec, CancellationToken.None);
        Assert.Equal(["fetch", "rev-parse", "ls-tree", "cat-file"], Commands());
        var inProcess = await Fetcher("loose").FetchAsync(Spec, CancellationToken.None);
        Assert.Equal(["init", "fetch"], Commands());

        Assert.Equal([.. RichSnapshot[..3], "first.yaml: 1", .. RichSnapshot[3..]], FetcherWorkspace.Describe(byGit.SnapshotDirectory));
        Assert.Equal(FetcherWorkspace.Describe(byGit.SnapshotDirectory), FetcherWorkspace.Describe(inProcess.SnapshotDirectory));
        Assert.Equal(byGit.FileIds, inProcess.FileIds);
    }

    [Fact]
    public async Task After_a_push_that_arrived_packed_a_small_one_takes_its_unchanged_packed_directories_from_the_last_listing()
    {
        var fetcher = Fetcher("cache");
        await _remote.CommitAsync(Enumerable.Range(0, 150).ToDictionary(i => $"many/f{i:000}.yaml", i => $"{i}").Append(new("few/a.yaml", "a")).ToDictionary());
        var first = await fetcher.FetchAsync(Spec, CancellationToken.None);
        Assert.Equal(["init", "fetch", "rev-parse", "ls-tree", "cat-file"], Commands());

        await _remote.CommitAsync(new Dictionary<string, string> { ["few/a.yaml"] = "b" });
        var second = await fetcher.FetchAsync(Spec, CancellationToken.None);

        Assert.Equal(["fetch"], Commands());
        var snapshot = FetcherWorkspace.Describe(second.SnapshotDirectory);
        Assert.Equal(151, snapshot.Count);
        Assert.Contains("few/a.yaml: b", snapshot);
        Assert.Contains("many/f149.yaml: 149", snapshot);
        Assert.Equal(first.FileIds!.Where(f => f.Key != "few/a.yaml"), second.FileIds!.Where(f => f.Key != "few/a.yaml"));
    }

    [Fact]
    public async Task A_damaged_loose_object_fails_the_fetch_as_a_damaged_cache_and_leaves_no_snapshot()
    {
        var fetcher = Fetcher("damaged");
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "1", ["b.yaml"] = "b" });
        var first = await fetcher.FetchAsync(Spec, CancellationToken.None);
        var cache = Directory.GetDirectories(Path.Combine(_root.FullName, "damaged", "cache")).Single();
        var blob = first.FileIds!["b.yaml"];
        var loose = Path.Combine(cache, "objects", blob[..2], blob[2..]);
        File.Delete(loose);
        await File.WriteAllBytesAsync(loose, "not zlib at all"u8.ToArray());
        // Without the last snapshot to link from, the next export reads b.yaml's unchanged blob from the cache again.
        Directory.Delete(first.SnapshotDirectory, recursive: true);
        await _remote.CommitAsync(new Dictionary<string, string> { ["a.yaml"] = "2" });

        var failure = await Assert.ThrowsAsync<GitFetchException>(() => fetcher.FetchAsync(Spec, CancellationToken.None));

        Assert.Equal(GitFailureKind.Unreachable, failure.Kind);
        Assert.Contains($"{blob} ('b.yaml')", failure.Message);
        Assert.Contains("the cache is damaged", failure.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.FullName, "damaged", "snapshots")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.FullName, "damaged", "tmp")));
    }
}
