using System.Globalization;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// Writes a commit's tree into a fresh directory from the cache's blobs (loose ones read here, packed ones with
/// <c>git cat-file --batch</c>): the
/// exact committed bytes, with no <c>.gitattributes</c> filters, line-ending conversion or export-ignore.
/// Regular files get mode 0644 or 0755; symlinks are created as symlinks with their committed target and
/// never followed (they are created last, so no file is ever written through one). A tree that would put
/// two entries at one path, or an entry below a file, is refused.
/// In two passes: <see cref="WriteChangedAsync"/> writes what the last export does not hold (keeping the bytes, so a
/// render can start from them at once), <see cref="FinishAsync"/> hard-links the rest from that export, which may run
/// while the commit is already being rendered and synced.
/// </summary>
internal sealed class SnapshotExporter(GitCacheRepository repository, string sha, IReadOnlyList<GitTreeEntry> entries, string directory,
    ExportedTree? previous, string subject)
{
    /// <summary>How many bytes of changed files an export keeps for the render (a push changes a few small files).</summary>
    public const long MaxKeptBytes = 4 << 20;

    private const UnixFileMode Regular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable =
        Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string _subject = $"{subject}: commit {sha}";
    private readonly HashSet<string> _created = new(StringComparer.Ordinal) { directory };
    private readonly List<Symlink> _symlinks = [];

    /// <summary>
    /// Checks the tree's layout, then writes every file the last export does not hold unchanged, and answers their
    /// bytes by path (regular files only), or null when they came to more than <see cref="MaxKeptBytes"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>?> WriteChangedAsync(CancellationToken ct)
    {
        CheckLayout(entries, _subject);
        Directory.CreateDirectory(directory);
        var kept = new FileContents(MaxKeptBytes);
        await WriteAsync(entries.Where(e => previous?.Holds(e) != true), kept, ct);
        // Every refusal comes before the commit is handed over: symlinks are never linked, so all were read in this pass.
        foreach (var symlink in _symlinks)
        {
            if (symlink.Target.Length == 0 || symlink.Target.Contains('\0')) throw Refused(_subject, $"symlink '{symlink.Relative}' has an empty or invalid target");
        }
        return kept.All;
    }

    /// <summary>Hard-links the files the last export holds unchanged (writing any it no longer has), then creates the symlinks.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        var unlinked = new List<GitTreeEntry>();
        foreach (var entry in entries.Where(e => previous?.Holds(e) == true))
        {
            if (!previous!.Link(entry, Target(entry))) unlinked.Add(entry);
        }
        await WriteAsync(unlinked, kept: null, ct);
        foreach (var (path, _, target) in _symlinks) File.CreateSymbolicLink(path, target);
    }

    // The entry's path in the export, its directory created first.
    private string Target(GitTreeEntry entry)
    {
        var path = Path.Combine(directory, entry.Path);
        var parent = Path.GetDirectoryName(path)!;
        if (_created.Add(parent)) Directory.CreateDirectory(parent);
        return path;
    }

    private async Task WriteAsync(IEnumerable<GitTreeEntry> toWrite, FileContents? kept, CancellationToken ct)
    {
        var packed = new List<GitTreeEntry>();
        foreach (var entry in toWrite)
        {
            if (!TryWriteLoose(entry, Target(entry), kept)) packed.Add(entry);
        }
        if (packed.Count > 0) await WriteBlobsAsync(packed, kept, ct);
    }

    /// <summary>A symlink to create once every file is written.</summary>
    private sealed record Symlink(string Path, string Relative, string Target);

    // A blob the fetch wrote loose is copied from its file; false when it is packed (git reads it).
    private bool TryWriteLoose(GitTreeEntry entry, string path, FileContents? kept)
    {
        try
        {
            using var loose = LooseObjects.TryOpen(repository.GitDirectory, entry.ObjectId);
            if (loose is null) return false;
            if (loose.Type != "blob" || loose.Size != entry.Size) throw Damaged(_subject, $"{loose.Type} {loose.Size}", entry);
            if (entry.Kind == GitTreeEntryKind.Symlink)
            {
                using var target = new MemoryStream();
                CopyExactly(loose.Content, target, entry.Size);
                _symlinks.Add(new Symlink(path, entry.Path, Encoding.UTF8.GetString(target.ToArray())));
                return true;
            }
            using var file = Create(path, entry, FileOptions.None);
            if (kept?.Wants(entry.Size) == true)
            {
                var content = new byte[entry.Size];
                loose.Content.ReadExactly(content);
                file.Write(content);
                kept.Add(entry.Path, content);
            }
            else
            {
                kept?.Missed();
                CopyExactly(loose.Content, file, entry.Size);
            }
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Damaged(_subject, e.Message, entry);
        }
    }

    private static FileStream Create(string path, GitTreeEntry entry, FileOptions options) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Options = options,
        UnixCreateMode = entry.Kind == GitTreeEntryKind.Executable ? Executable : Regular,
    });

    private static void CopyExactly(Stream source, Stream destination, long count)
    {
        var buffer = new byte[(int)Math.Min(count, 64 * 1024) + 1];
        for (int read; count > 0; count -= read)
        {
            read = source.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read == 0) throw new EndOfStreamException("the loose object ended early");
            destination.Write(buffer, 0, read);
        }
    }

    private async Task WriteBlobsAsync(List<GitTreeEntry> toWrite, FileContents? kept, CancellationToken ct)
    {
        await using var process = repository.StartBlobReader();
        var names = WriteNamesAsync(process.StandardInput, toWrite);
        try
        {
            using (ct.Register(process.Kill))
            {
                var reader = new GitBatchReader(process.StandardOutput);
                foreach (var entry in toWrite)
                {
                    var size = ExpectHeader(await reader.ReadHeaderAsync(CancellationToken.None), entry, _subject);
                    var path = Path.Combine(directory, entry.Path);
                    if (entry.Kind == GitTreeEntryKind.Symlink)
                    {
                        using var target = new MemoryStream();
                        await reader.CopyObjectAsync(target, size, CancellationToken.None);
                        _symlinks.Add(new Symlink(path, entry.Path, Encoding.UTF8.GetString(target.ToArray())));
                        continue;
                    }

                    await using var file = Create(path, entry, FileOptions.Asynchronous);
                    if (kept?.Wants(size) == true)
                    {
                        var content = new byte[size];
                        await reader.CopyObjectAsync(new MemoryStream(content), size, CancellationToken.None);
                        await file.WriteAsync(content, CancellationToken.None);
                        kept.Add(entry.Path, content);
                    }
                    else
                    {
                        kept?.Missed();
                        await reader.CopyObjectAsync(file, size, CancellationToken.None);
                    }
                }
            }

            ct.ThrowIfCancellationRequested();
        }
        finally
        {
            // Never throws (see WriteNamesAsync); awaited so the writer never outlives the export.
            await names;
        }

        var (exitCode, stderr) = await process.WaitAsync(ct);
        if (exitCode != 0)
        {
            throw repository.Failure(GitFailureKind.Unreachable, "reading blobs from the cache failed", new ChildProcessResult(exitCode, "", stderr));
        }
    }

    /// <summary>The bytes of the changed files an export keeps, while they fit; once one does not, none (a render reads the export).</summary>
    private sealed class FileContents(long maxBytes)
    {
        private readonly Dictionary<string, byte[]> _contents = new(StringComparer.Ordinal);
        private long _bytes;
        private bool _missed;

        public IReadOnlyDictionary<string, byte[]>? All => _missed ? null : _contents;

        public bool Wants(long size) => !_missed && _bytes + size <= maxBytes;

        public void Add(string path, byte[] content)
        {
            _contents[path] = content;
            _bytes += content.Length;
        }

        public void Missed()
        {
            _missed = true;
            _contents.Clear();
        }
    }

    private static long ExpectHeader(string header, GitTreeEntry entry, string subject)
    {
        // "<object> blob <size>", or "<object> missing" when the cache lacks it.
        var fields = header.Split(' ');
        if (fields.Length != 3 || fields[0] != entry.ObjectId || fields[1] != "blob"
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != entry.Size)
        {
            throw Damaged(subject, header, entry);
        }

        return size;
    }

    private static GitFetchException Damaged(string subject, string found, GitTreeEntry entry) =>
        new(GitFailureKind.Unreachable, $"{subject}: the cache returned '{found}' for {entry.ObjectId} ('{entry.Path}'): the cache is damaged");

    private static void CheckLayout(IReadOnlyList<GitTreeEntry> entries, string subject)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!files.Add(entry.Path) || directories.Contains(entry.Path)) throw Refused(subject, $"'{entry.Path}' appears twice");
            for (var slash = entry.Path.IndexOf('/'); slash >= 0; slash = entry.Path.IndexOf('/', slash + 1))
            {
                var parent = entry.Path[..slash];
                if (files.Contains(parent)) throw Refused(subject, $"'{entry.Path}' lies below the file or symlink '{parent}'");
                directories.Add(parent);
            }
        }
    }

    private static GitFetchException Refused(string subject, string why) =>
        new(GitFailureKind.NotAllowed, $"{subject} cannot be exported safely: {why}");

    // Runs next to the reader: writing every name before reading would deadlock once both pipes are full.
    private static async Task WriteNamesAsync(Stream input, IReadOnlyList<GitTreeEntry> entries)
    {
        try
        {
            await using var writer = new StreamWriter(input, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
            foreach (var entry in entries) await writer.WriteLineAsync(entry.ObjectId);
        }
        catch (IOException)
        {
            // git exited (or was killed) before reading every name; the reader reports why.
            return;
        }
    }
}
