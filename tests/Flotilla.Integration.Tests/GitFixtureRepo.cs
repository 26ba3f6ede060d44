using System.Diagnostics;

namespace Flotilla.Integration.Tests;

/// <summary>A real local git repository a test commits manifests to; the hub fetches it over file://.</summary>
public sealed class GitFixtureRepo
{
    public string Path { get; }
    public string Url => $"file://{Path}";

    public GitFixtureRepo(string parent, string name)
    {
        Path = System.IO.Path.Combine(parent, name);
        if (System.IO.Directory.Exists(Path)) System.IO.Directory.Delete(Path, recursive: true);
        System.IO.Directory.CreateDirectory(Path);
        Git("init", "-q", "-b", "main");
    }

    /// <summary>Replaces the whole tree with <paramref name="files"/> (relative path → content) and commits; returns the sha.</summary>
    public string Commit(IReadOnlyDictionary<string, string> files, string message = "change")
    {
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos().Where(e => e.Name != ".git"))
        {
            if (entry is DirectoryInfo d) d.Delete(recursive: true);
            else entry.Delete();
        }
        foreach (var (relative, content) in files)
        {
            var full = System.IO.Path.Combine(Path, relative);
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Git("add", "-A");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Commits <paramref name="files"/> as the whole tree on <paramref name="branch"/> (from the current main) and returns to main; returns the sha.</summary>
    public string CommitOnBranch(string branch, IReadOnlyDictionary<string, string> files, string message = "change")
    {
        Git("checkout", "-q", "-B", branch);
        try { return Commit(files, message); }
        finally { Git("checkout", "-q", "-f", "main"); }
    }

    private string Git(params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
