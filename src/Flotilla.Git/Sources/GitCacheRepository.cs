using System.IO.Compression;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// The bare cache repository of one URL and the git commands run on it. Every command runs with
/// <c>--git-dir</c> set explicitly and the private directory as working directory, so no repository around
/// the process is ever discovered. Failures become <see cref="GitFetchException"/>s through
/// <see cref="GitErrorClassifier"/>, with secrets removed from git's words.
/// </summary>
internal sealed class GitCacheRepository(string gitDirectory, string url, string subject, GitEnvironment environment, string git)
{
    private const int MaxQuotedChars = 400;

    public string GitDirectory => gitDirectory;

    /// <summary>Creates the bare repository if it is missing (in a temporary directory, then renamed into place).</summary>
    public async Task EnsureCreatedAsync(string temporaryRoot, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(gitDirectory, "HEAD"))) return;
        var temporary = Path.Combine(temporaryRoot, "init-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await RunRawAsync(["init", "--bare", "--quiet", "--", temporary], ct);
            if (result.ExitCode != 0) throw Failure(GitFailureKind.Unreachable, "could not create the cache repository", result);
            Directory.CreateDirectory(Path.GetDirectoryName(gitDirectory)!);
            Directory.Move(temporary, gitDirectory);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// Proves that the remote answers these credentials now (<c>ls-remote</c> of its HEAD), for a commit ref whose
    /// commit may already be in the cache.
    /// </summary>
    public Task CheckRemoteAsync(CancellationToken ct) => RunAsync("ls-remote", ["--", url, "HEAD"], ct);

    /// <summary>Fetches the ref's commit with depth 1 and returns its SHA.</summary>
    public async Task<string> FetchAsync(GitRef gitRef, CancellationToken ct)
    {
        var local = gitRef.Kind switch
        {
            GitRefKind.Branch => "refs/flotilla/heads/" + gitRef.Name,
            GitRefKind.Tag => "refs/flotilla/tags/" + gitRef.Name,
            GitRefKind.Commit => null,
        };
        var refspec = local is null ? gitRef.Name : $"+{gitRef.RemoteName}:{local}";
        // git's own housekeeping would run a process after every fetch; MaintainAsync does it on the hub's schedule instead.
        await RunAsync("fetch", ["--depth", "1", "--no-tags", "--quiet", "--no-write-fetch-head", "--no-auto-maintenance", "--", url, refspec], ct);
        if (gitRef.Kind == GitRefKind.Branch && LooseCommit(local!) is { } tip) return tip;

        var resolved = await RunRawAsync(["rev-parse", "--verify", "--quiet", (local ?? gitRef.Name) + "^{commit}"], ct);
        var sha = resolved.Stdout.Trim();
        return resolved.ExitCode == 0 && GitRef.IsFullSha(sha)
            ? sha
            : throw new GitFetchException(GitFailureKind.RefNotFound, $"{subject}: {gitRef} does not name a commit");
    }

    /// <summary>
    /// The commit a ref names, read from the files the fetch just wrote: the ref's file and its loose object, whose
    /// header must say <c>commit</c> (what <c>rev-parse ^{commit}</c> checks, without a process between a push and its
    /// sync). Null when either is not a plain file (a packed ref, an object in a pack): then rev-parse answers.
    /// </summary>
    private string? LooseCommit(string reference)
    {
        try
        {
            var sha = File.ReadAllText(Path.Combine(gitDirectory, reference)).Trim();
            if (!GitRef.IsFullSha(sha)) return null;
            using var file = File.OpenRead(Path.Combine(gitDirectory, "objects", sha[..2], sha[2..]));
            using var inflated = new ZLibStream(file, CompressionMode.Decompress);
            Span<byte> type = stackalloc byte[7];
            inflated.ReadExactly(type);
            return type.SequenceEqual("commit "u8) ? sha : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Housekeeping (<c>git maintenance run --auto</c>): packs loose objects and packs once git's thresholds are passed.</summary>
    public Task MaintainAsync(CancellationToken ct) => RunAsync("maintenance", ["run", "--auto", "--quiet"], ct);

    /// <summary>True when the commit (with its whole tree: fetches are all-or-nothing) is in this cache.</summary>
    public async Task<bool> HasCommitAsync(string sha, CancellationToken ct) =>
        (await RunRawAsync(["cat-file", "-e", sha + "^{commit}"], ct)).ExitCode == 0;

    /// <summary>Lists the commit's files and symlinks, and its subtrees' entries, stopping as soon as a limit is exceeded.</summary>
    public async Task<GitTreeListingResult> ListTreeAsync(string sha, GitFetchLimits limits, CancellationToken ct)
    {
        await using var process = Start(["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", sha], redirectInput: false);
        var listed = new TreeListingBudget(limits, $"{subject}: commit {sha}");
        var trees = new Dictionary<string, IReadOnlyList<GitTreeChild>>(StringComparer.Ordinal);
        // The directories whose entries are being gathered: the first one of each subtree id (two directories with the
        // same content are one tree). The root's are not kept: a new commit always has a new root tree.
        var gathering = new Dictionary<string, List<GitTreeChild>>(StringComparer.Ordinal);
        await foreach (var record in GitTreeListing.ReadRecordsAsync(process.StandardOutput, ct))
        {
            // A subtree is listed before what it holds (-t): its entries are gathered under its id as they come.
            if (GitTreeListing.ParseTree(record) is var (treePath, treeId))
            {
                var parent = treePath.LastIndexOf('/');
                gathering.GetValueOrDefault(parent < 0 ? "" : treePath[..parent])?.Add(new GitTreeChild(treePath[(parent + 1)..], treeId, null, 0));
                if (!trees.ContainsKey(treeId)) trees[treeId] = gathering[treePath] = [];
                continue;
            }
            if (GitTreeListing.Parse(record) is not { } entry) continue;
            listed.Add(entry);
            var slash = entry.Path.LastIndexOf('/');
            gathering.GetValueOrDefault(slash < 0 ? "" : entry.Path[..slash])?.Add(new GitTreeChild(entry.Path[(slash + 1)..], entry.ObjectId, entry.Kind, entry.Size));
        }

        var (exitCode, stderr) = await process.WaitAsync(ct);
        if (exitCode != 0) throw Failure(GitFailureKind.Unreachable, "listing the tree failed", new ChildProcessResult(exitCode, "", stderr));
        return new GitTreeListingResult(listed.Entries, trees);
    }

    /// <summary>Starts <c>git cat-file --batch</c>: object names in on stdin, headers and contents out.</summary>
    public ChildProcess StartBlobReader() => Start(["cat-file", "--batch", "--buffer"], redirectInput: true);

    public GitFetchException Failure(GitFailureKind kind, string what, ChildProcessResult result)
    {
        // Redact before quoting: a cut could split a secret and let half of it through.
        var words = Quote(SecretRedactor.Redact(result.Stderr, environment.Secrets));
        return new GitFetchException(kind, $"{subject}: {what}{(words.Length > 0 ? ": " + words : "")}");
    }

    private async Task<ChildProcessResult> RunAsync(string command, string[] arguments, CancellationToken ct)
    {
        var result = await RunRawAsync([command, .. arguments], ct);
        if (result.ExitCode == 0) return result;
        var kind = GitErrorClassifier.Classify(result.ExitCode, result.Stderr);
        throw Failure(kind, $"git {command}: {Describe(kind)}{AuthenticationDetail(kind)}", result);
    }

    // Over https git's own words are the same for a missing and a refused token ("could not read Username":
    // it wanted to prompt after the 401), so say which one it was.
    private string AuthenticationDetail(GitFailureKind kind) => kind != GitFailureKind.AuthFailed ? ""
        : environment.Secrets.Count > 0 ? " (the remote refused the source's credentials)"
        : " (the remote wants credentials and the source has none)";

    private Task<ChildProcessResult> RunRawAsync(string[] arguments, CancellationToken ct) =>
        ChildProcess.RunAsync(git, ["--git-dir=" + gitDirectory, .. arguments], environment.Variables, environment.Directory, ct);

    private ChildProcess Start(string[] arguments, bool redirectInput) =>
        ChildProcess.Start(git, ["--git-dir=" + gitDirectory, .. arguments], environment.Variables, environment.Directory, redirectInput);

    private static string Describe(GitFailureKind kind) => kind switch
    {
        GitFailureKind.Unreachable => "remote unreachable",
        GitFailureKind.AuthFailed => "authentication failed",
        GitFailureKind.HostKeyMismatch => "ssh host key not verified by known_hosts",
        GitFailureKind.RefNotFound => "ref not found",
        GitFailureKind.LimitExceeded => "limit exceeded",
        GitFailureKind.Timeout => "timed out",
        GitFailureKind.InvalidUrl => "invalid URL",
        GitFailureKind.NotAllowed => "not allowed",
    };

    // git's closing advice ("Please make sure you have the correct access rights…") says nothing; the lines before it do.
    private static string Quote(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("Please make sure", StringComparison.Ordinal)
                && !line.StartsWith("and the repository exists", StringComparison.Ordinal)
                && !line.StartsWith('@'))
            .ToList();
        var text = new StringBuilder();
        foreach (var line in lines.Count > 3 ? ["…", .. lines.TakeLast(3)] : lines)
        {
            if (text.Length > 0) text.Append(" | ");
            text.Append(line);
        }

        return text.Length <= MaxQuotedChars ? text.ToString() : text.ToString(0, MaxQuotedChars) + "…";
    }
}
