using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// Fetches Git sources with the git CLI into content-addressed snapshots (see README.md in this folder).
/// Every fetch asks the remote first, with the spec's own credentials (a branch or tag is fetched, a commit
/// checked with <c>ls-remote</c>), so a snapshot is only handed to a spec that can read the repository now; a
/// commit ref must also be present in, or fetchable into, this URL's own cache. Fetches of one URL are serialised; different URLs run in parallel.
/// </summary>
public sealed class GitFetcher : IGitFetcher
{
    private readonly GitFetcherOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    // The last snapshot exported from each cache repository: the next export links its unchanged files.
    private readonly ConcurrentDictionary<string, ExportedTree> _exported = new(StringComparer.Ordinal);

    public GitFetcher(GitFetcherOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _time = timeProvider;
    }

    private string SnapshotsRoot => Path.Combine(_options.WorkDirectory, "snapshots");

    private string TemporaryRoot => Path.Combine(_options.WorkDirectory, "tmp");

    public async Task<GitFetchResult> FetchAsync(GitSourceSpec spec, CancellationToken ct)
    {
        var fetched = await FetchListedAsync(spec, ct);
        await fetched.Exported;
        return fetched;
    }

    public async Task<GitFetchResult> FetchListedAsync(GitSourceSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Limits.Validate();
        var subject = $"git source {GitUrl.Redact(spec.Url)} ({spec.Ref})";
        CheckPolicy(spec, GitUrl.Classify(spec.Url), subject);

        var cacheDirectory = Path.Combine(_options.WorkDirectory, "cache", CacheName(spec.Url) + ".git");
        var gate = _locks.GetOrAdd(cacheDirectory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        GitEnvironment? environment = null;
        var handedOver = false;
        try
        {
            Directory.CreateDirectory(SnapshotsRoot);
            Directory.CreateDirectory(TemporaryRoot);
            environment = GitEnvironment.Create(spec.Credentials, spec.CertificateAuthority, _options.AllowLocal, _options.SshExecutable);
            var repository = new GitCacheRepository(cacheDirectory, spec.Url, subject, environment, _options.GitExecutable);
            var fetched = await FetchLockedAsync(spec, repository, subject, ct);
            // The cache stays locked (and git's environment kept) until the export is done: the next fetch links from it.
            var held = environment;
            _ = fetched.Exported.ContinueWith(_ =>
            {
                held.Dispose();
                gate.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            handedOver = true;
            return fetched;
        }
        finally
        {
            if (!handedOver)
            {
                environment?.Dispose();
                gate.Release();
            }
        }
    }

    private async Task<GitFetchResult> FetchLockedAsync(GitSourceSpec spec, GitCacheRepository repository, string subject, CancellationToken ct)
    {
        await repository.EnsureCreatedAsync(TemporaryRoot, ct);

        string sha;
        using (var timeout = new CancellationTokenSource(spec.Limits.FetchTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token))
        {
            try
            {
                if (spec.Ref.Kind == GitRefKind.Commit)
                {
                    // A commit never moves: ask the remote (access now), fetch only what the cache lacks.
                    await repository.CheckRemoteAsync(linked.Token);
                    sha = await repository.HasCommitAsync(spec.Ref.Name, linked.Token) ? spec.Ref.Name : await repository.FetchAsync(spec.Ref, linked.Token);
                }
                else
                {
                    // A branch or tag is fetched straight away: when it has not moved the fetch is the ref advertisement an
                    // ls-remote would be, and when it has, one process less stands between a push and its sync.
                    sha = await repository.FetchAsync(spec.Ref, linked.Token);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new GitFetchException(GitFailureKind.Timeout,
                    $"{subject}: no answer from the remote within {spec.Limits.FetchTimeout.TotalSeconds:0.#} s; git was stopped");
            }
        }

        var fetchedAt = _time.GetUtcNow();
        var snapshot = SnapshotPath(sha);
        if (Directory.Exists(snapshot))
        {
            // A commit fetched again is usually the one this cache exported last, whose file ids are still known.
            var last = _exported.GetValueOrDefault(repository.GitDirectory);
            return new GitFetchResult(sha, snapshot, fetchedAt, ReusedSnapshot: true, last?.Snapshot == snapshot ? last.FileIds : null);
        }

        // Read in this process when the commit's new objects arrived loose (a push of a few files does), else listed by git.
        var previous = _exported.GetValueOrDefault(repository.GitDirectory);
        var listing = LooseTreeWalk.TryList(repository.GitDirectory, sha, previous, spec.Limits, subject)
            ?? await repository.ListTreeAsync(sha, spec.Limits, ct);
        var temporary = Path.Combine(TemporaryRoot, $"export-{sha}-{Guid.NewGuid():N}");
        var exporter = new SnapshotExporter(repository, sha, listing.Entries, temporary, previous, subject);
        IReadOnlyDictionary<string, byte[]>? changed;
        try
        {
            changed = await exporter.WriteChangedAsync(ct);
        }
        catch
        {
            DeleteTemporary(temporary);
            throw;
        }

        // After the export's layout check: it refuses a tree with two entries at one path.
        var tree = new ExportedTree(snapshot, listing.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal), listing.Trees);

        return new GitFetchResult(sha, snapshot, fetchedAt, ReusedSnapshot: false, tree.FileIds)
        {
            // On the thread pool: linking hundreds of files is synchronous work the caller need not wait for.
            Exported = Task.Run(() => FinishExportAsync(exporter, repository.GitDirectory, tree, temporary, ct), CancellationToken.None),
            Listing = changed is null ? null : new SnapshotListing(tree.Entries, changed),
        };
    }

    // The export's second pass, then the snapshot moved into place: what GitFetchResult.Exported waits for.
    private async Task FinishExportAsync(SnapshotExporter exporter, string gitDirectory, ExportedTree tree, string temporary, CancellationToken ct)
    {
        try
        {
            await exporter.FinishAsync(ct);
            Directory.Move(temporary, tree.Snapshot);
            _exported[gitDirectory] = tree;
        }
        catch (IOException) when (Directory.Exists(tree.Snapshot))
        {
            // Another fetcher finished the same commit first; snapshots of one commit are identical.
        }
        finally
        {
            DeleteTemporary(temporary);
        }
    }

    private static void DeleteTemporary(string temporary)
    {
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
    }

    /// <summary>
    /// Housekeeping of every cache repository (<c>git maintenance run --auto</c>: loose objects and small packs are packed
    /// once git's own thresholds are passed), one at a time and never beside a fetch of the same repository. Fetches skip
    /// git's automatic maintenance, which would run a process between every fetch and its sync; the hub calls this on its
    /// snapshot collector's interval. A repository that fails is reported and the rest go on.
    /// </summary>
    public async Task<IReadOnlyList<GitFetchException>> MaintainAsync(CancellationToken ct)
    {
        var root = Path.Combine(_options.WorkDirectory, "cache");
        var failures = new List<GitFetchException>();
        if (!Directory.Exists(root)) return failures;
        foreach (var cacheDirectory in Directory.GetDirectories(root, "*.git").Order(StringComparer.Ordinal))
        {
            var gate = _locks.GetOrAdd(cacheDirectory, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
            try
            {
                using var environment = GitEnvironment.Create(GitCredentials.None, null, _options.AllowLocal, _options.SshExecutable);
                await new GitCacheRepository(cacheDirectory, "", $"git cache {Path.GetFileName(cacheDirectory)}", environment, _options.GitExecutable).MaintainAsync(ct);
            }
            catch (GitFetchException e)
            {
                failures.Add(e);
            }
            finally
            {
                gate.Release();
            }
        }
        return failures;
    }

    private string SnapshotPath(string sha) => Path.Combine(SnapshotsRoot, sha);

    private void CheckPolicy(GitSourceSpec spec, GitTransport transport, string subject)
    {
        var credentials = spec.Credentials.Kind;
        var refusal = transport switch
        {
            GitTransport.Local when !_options.AllowLocal => "local paths and file:// URLs are not allowed",
            GitTransport.Local or GitTransport.Https when credentials == GitCredentialKind.Ssh => "ssh credentials need an ssh URL",
            GitTransport.Local when credentials == GitCredentialKind.HttpsToken => "a token needs an https URL",
            GitTransport.Http when credentials != GitCredentialKind.None => "credentials over plain http would travel unencrypted; use https",
            GitTransport.Ssh when credentials != GitCredentialKind.Ssh => "an ssh URL needs ssh credentials with known_hosts (host keys are always checked)",
            GitTransport.Https or GitTransport.Http or GitTransport.Ssh or GitTransport.Local => null,
        };
        refusal ??= spec.CertificateAuthority is null ? null : CertificateAuthorityRefusal(spec.CertificateAuthority, transport);
        if (refusal is not null) throw new GitFetchException(GitFailureKind.NotAllowed, $"{subject}: {refusal}");
    }

    // Checked here, so a bad CA is named as such instead of surfacing as git's "problem with the SSL CA cert".
    private static string? CertificateAuthorityRefusal(string pem, GitTransport transport)
    {
        if (transport != GitTransport.Https) return "a CA certificate applies to https URLs only";
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
            return certificates.Count == 0 ? "the CA certificate holds no PEM CERTIFICATE block" : null;
        }
        catch (CryptographicException)
        {
            return "the CA PEM holds something that is not a valid certificate";
        }
        finally
        {
            foreach (var certificate in certificates) certificate.Dispose();
        }
    }

    // The URL is hashed so the directory name carries no credentials and no path characters.
    private static string CacheName(string url) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..32];
}
