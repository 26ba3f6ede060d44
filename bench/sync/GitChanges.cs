using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.Bench.Sync;

/// <summary>
/// How the dry-run+apply baseline learns a commit: the way the hub does, from the remote, with the git CLI. A
/// <c>git fetch</c> of the branch into its own bare cache with the hub's flags (depth 1, no tags, no automatic maintenance), <c>rev-parse</c> of
/// what arrived, then — leaner than the hub, which renders the whole commit and compares it with the live objects —
/// only the files <c>git diff-tree</c> names as added or modified since the last commit it took, read in one
/// <c>git cat-file --batch</c> and parsed. So the baseline starts where Flotilla starts (a commit on a remote) and does
/// the least a script could do from there.
/// </summary>
public sealed class GitChanges(string url, string cache)
{
    private const string Ref = "refs/bench/main";
    private string? _taken;

    /// <summary>The objects of the files the newest commit on the remote's <c>main</c> adds or changes since the last call (all of them the first time).</summary>
    public async Task<List<JsonObject>> TakeAsync()
    {
        if (!Directory.Exists(cache)) await Shell.RunAsync("git", "init", "--bare", "--quiet", "--", cache);
        await Shell.RunAsync("git", "--git-dir=" + cache, "fetch", "--depth", "1", "--no-tags", "--quiet", "--no-write-fetch-head", "--no-auto-maintenance", "--", url, $"+refs/heads/main:{Ref}");
        var commit = (await GitTextAsync("rev-parse", "--verify", Ref + "^{commit}")).Trim();
        var listing = _taken is null
            ? await GitTextAsync("ls-tree", "-r", "-z", "--name-only", commit)
            : await GitTextAsync("diff-tree", "-r", "-z", "--name-only", "--no-commit-id", "--diff-filter=AM", _taken, commit);
        var paths = listing.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var blobs = await Shell.OutputAsync("git", string.Concat(paths.Select(p => $"{commit}:{p}\n")), "--git-dir=" + cache, "cat-file", "--batch");
        _taken = commit;
        return Parse(blobs, paths.Length);
    }

    private async Task<string> GitTextAsync(params string[] args) => Encoding.UTF8.GetString(await Shell.OutputAsync("git", null, ["--git-dir=" + cache, .. args]));

    /// <summary>The objects in <c>cat-file --batch</c> output: per blob a header line "&lt;sha&gt; blob &lt;size&gt;", the bytes, a newline.</summary>
    private static List<JsonObject> Parse(byte[] batch, int count)
    {
        var objects = new List<JsonObject>(count);
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var end = Array.IndexOf(batch, (byte)'\n', at);
            var header = Encoding.UTF8.GetString(batch, at, end - at).Split(' ');
            if (header.Length != 3 || header[1] != "blob") throw new InvalidOperationException($"git cat-file: unexpected '{string.Join(' ', header)}'");
            var size = int.Parse(header[2]);
            objects.Add(JsonNode.Parse(batch.AsSpan(end + 1, size))!.AsObject());
            at = end + 1 + size + 1;
        }
        return objects;
    }
}
