using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

public sealed class SnapshotStoreTests : IDisposable
{
    private static readonly string A = new('a', 40);
    private static readonly string B = new('b', 40);
    private static readonly string C = new('c', 64);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flotilla-store-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("flotilla-outside-");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
    }

    private string Snapshots => Path.Combine(_root.FullName, "snapshots");

    private void Write(string relative, int bytes)
    {
        var path = Path.Combine(Snapshots, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    [Fact]
    public void Collect_deletes_every_snapshot_outside_the_keep_set_and_reports_the_bytes()
    {
        Write($"{A}/a.yaml", 100);
        Write($"{B}/dir/b.yaml", 200);
        Write($"{B}/c.yaml", 30);
        Write($"{C}/c.yaml", 7);
        Directory.CreateDirectory(Path.Combine(Snapshots, "not-a-snapshot"));
        var store = new SnapshotStore(_root.FullName);

        var collected = store.Collect(new HashSet<string>(StringComparer.Ordinal) { A }, CancellationToken.None);

        Assert.Equal(new SnapshotCollection([B, C], 237), collected);
        Assert.Equal([new SnapshotInfo(A, Path.Combine(Snapshots, A), 100)], store.List());
        Assert.True(Directory.Exists(Path.Combine(Snapshots, "not-a-snapshot")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.FullName, "tmp")));
    }

    [Fact]
    public void Collect_with_everything_kept_deletes_nothing_and_an_empty_store_is_fine()
    {
        var store = new SnapshotStore(_root.FullName);
        Assert.Equal(new SnapshotCollection([], 0), store.Collect(new HashSet<string>(), CancellationToken.None));

        Write($"{A}/a.yaml", 1);
        Write($"{B}/b.yaml", 2);
        Assert.Equal(new SnapshotCollection([], 0), store.Collect(new HashSet<string> { A, B }, CancellationToken.None));
        Assert.Equal([A, B], store.List().Select(s => s.CommitSha));
    }

    [Fact]
    public void Symlinks_are_neither_counted_nor_followed_when_deleting()
    {
        File.WriteAllBytes(Path.Combine(_outside.FullName, "precious"), new byte[1000]);
        Write($"{A}/a.yaml", 10);
        Directory.CreateSymbolicLink(Path.Combine(Snapshots, A, "dir-link"), _outside.FullName);
        File.CreateSymbolicLink(Path.Combine(Snapshots, A, "file-link"), Path.Combine(_outside.FullName, "precious"));
        var store = new SnapshotStore(_root.FullName);

        Assert.Equal(10, store.List().Single().SizeBytes);
        var collected = store.Collect(new HashSet<string>(), CancellationToken.None);

        Assert.Equal(new SnapshotCollection([A], 10), collected);
        Assert.Equal(1000, new FileInfo(Path.Combine(_outside.FullName, "precious")).Length);
        Assert.Empty(store.List());
    }
}
