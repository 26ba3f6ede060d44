using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Flotilla.Bench.Sync;

/// <summary>A local git repository the hub syncs from (a file:// source).</summary>
public sealed class BenchRepo(string path)
{
    public string Url => $"file://{path}";

    /// <summary>Commits <paramref name="objects"/> as the folder <c>objects</c>; returns the commit.</summary>
    public string Commit(IEnumerable<JsonObject> objects) => Commit(new Dictionary<string, IEnumerable<JsonObject>> { ["objects"] = objects });

    /// <summary>Commits each folder's objects (replacing what the folder held); returns the commit.</summary>
    public string Commit(IReadOnlyDictionary<string, IEnumerable<JsonObject>> folders)
    {
        if (!Directory.Exists(path)) { Directory.CreateDirectory(path); Git("init", "-q", "-b", "main"); }
        foreach (var (folder, objects) in folders) Manifests.WriteFiles(Path.Combine(path, folder), objects);
        Git("add", "-A");
        Git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "bench");
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
