namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// A real bare repository (the "remote") and a working clone that commits to it, in a temporary directory
/// deleted on dispose. Commits are pushed to branch <c>main</c> of the bare repository.
/// </summary>
internal sealed class TestRemote : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flotilla-remote-");

    private TestRemote()
    {
    }

    public string BarePath => Path.Combine(_root.FullName, "remote.git");

    public string WorkPath => Path.Combine(_root.FullName, "work");

    public string FileUrl => "file://" + BarePath;

    public static async Task<TestRemote> CreateAsync()
    {
        var remote = new TestRemote();
        await TestProcess.RunAsync(remote._root.FullName, "git", "init", "--quiet", "--bare", "--initial-branch=main", remote.BarePath);
        await TestProcess.RunAsync(remote._root.FullName, "git", "init", "--quiet", "--initial-branch=main", remote.WorkPath);
        return remote;
    }

    /// <summary>Writes the files (relative path → content), commits everything and pushes <c>main</c>; returns the new SHA.</summary>
    public async Task<string> CommitAsync(IReadOnlyDictionary<string, string> files, string message = "change")
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(WorkPath, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        return await CommitAllAsync(message);
    }

    /// <summary>Commits whatever is in the working tree (after the caller changed it) and pushes <c>main</c>.</summary>
    public async Task<string> CommitAllAsync(string message, bool amend = false)
    {
        await GitAsync("add", "--all");
        await GitAsync(["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", message, .. amend ? new[] { "--amend" } : []]);
        await GitAsync("push", "--quiet", "--force", BarePath, "HEAD:refs/heads/main");
        return await GitAsync("rev-parse", "HEAD");
    }

    public async Task TagAsync(string name, bool annotated, string target = "HEAD")
    {
        if (annotated) await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "tag", "-a", name, "-m", name, target);
        else await GitAsync("tag", name, target);
        await GitAsync("push", "--quiet", BarePath, $"refs/tags/{name}");
    }

    /// <summary>
    /// Pushes a commit whose root tree is built by <c>git mktree</c>, which accepts entries that ordinary
    /// commands refuse (<c>.git</c>, <c>..</c>, duplicates) — what a hostile repository could contain.
    /// <paramref name="entries"/> are (mode, name, content) with content a file text, or a nested entry list for mode 040000.
    /// </summary>
    public async Task<string> PushCraftedTreeAsync(IReadOnlyList<(string Mode, string Name, object Content)> entries)
    {
        var tree = await MakeTreeAsync(entries);
        var commit = await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit-tree", tree, "-m", "crafted");
        await GitAsync("push", "--quiet", "--force", BarePath, $"{commit}:refs/heads/main");
        return commit;
    }

    private async Task<string> MakeTreeAsync(IReadOnlyList<(string Mode, string Name, object Content)> entries)
    {
        var lines = new List<string>();
        foreach (var (mode, name, content) in entries)
        {
            var id = content is string text
                ? await HashObjectAsync(text)
                : await MakeTreeAsync((IReadOnlyList<(string, string, object)>)content);
            lines.Add($"{mode} {(mode == "040000" ? "tree" : "blob")} {id}\t{name}");
        }

        var input = Path.Combine(_root.FullName, $"mktree-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(input, string.Join('\n', lines) + "\n");
        return await TestProcess.RunAsync(WorkPath, "sh", "-c", $"git mktree < '{input}'");
    }

    private async Task<string> HashObjectAsync(string text)
    {
        var file = Path.Combine(_root.FullName, $"blob-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, text);
        return await GitAsync("hash-object", "-w", file);
    }

    public Task<string> GitAsync(params string[] arguments) => TestProcess.RunAsync(WorkPath, "git", arguments);

    public void Dispose() => _root.Delete(recursive: true);
}
