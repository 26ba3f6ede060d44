using Flotilla.Git.Sources;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Git.Tests.Sources;

/// <summary>A fetcher over its own temporary work directory (deleted on dispose) with a fake clock for <c>FetchedAt</c>.</summary>
internal sealed class FetcherWorkspace : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flotilla-fetcher-");

    public FetcherWorkspace(bool allowLocal = true, TimeProvider? time = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Fetcher = new GitFetcher(new GitFetcherOptions { WorkDirectory = Root, AllowLocal = allowLocal }, time ?? Time);
        Store = new SnapshotStore(Root);
    }

    public string Root => _root.FullName;

    public FakeTimeProvider Time { get; }

    public GitFetcher Fetcher { get; }

    public SnapshotStore Store { get; }

    public string SnapshotsPath => Path.Combine(Root, "snapshots");

    public Task<GitFetchResult> FetchAsync(GitSourceSpec spec) => Fetcher.FetchAsync(spec, CancellationToken.None);

    public async Task<GitFetchException> FailAsync(GitSourceSpec spec) =>
        await Assert.ThrowsAsync<GitFetchException>(() => Fetcher.FetchAsync(spec, CancellationToken.None));

    /// <summary>Names below <c>snapshots/</c> and <c>tmp/</c>: shows half-written or leftover exports.</summary>
    public IReadOnlyList<string> SnapshotAndTemporaryEntries() =>
        new[] { "snapshots", "tmp" }
            .Select(name => Path.Combine(Root, name))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFileSystemEntries)
            .Select(path => Path.GetRelativePath(Root, path))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every file and symlink below a snapshot, relative, sorted, with content (symlinks as "-> target", never followed).</summary>
    public static IReadOnlyList<string> Describe(string snapshot)
    {
        var lines = new List<string>();
        Walk(new DirectoryInfo(snapshot));
        return lines.Order(StringComparer.Ordinal).ToList();

        void Walk(DirectoryInfo directory)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(snapshot, entry.FullName);
                if (entry.LinkTarget is { } target) lines.Add($"{relative} -> {target}");
                else if (entry is DirectoryInfo child) Walk(child);
                else lines.Add($"{relative}: {File.ReadAllText(entry.FullName)}");
            }
        }
    }

    public void Dispose() => _root.Delete(recursive: true);
}
