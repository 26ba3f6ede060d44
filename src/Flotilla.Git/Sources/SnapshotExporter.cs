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
/// </summary>
internal static class SnapshotExporter
{
    private const UnixFileMode Regular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable =
        Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Exports <paramref name="entries"/> into <paramref name="directory"/>: the files <paramref name="previous"/> holds
    /// unchanged are hard-linked from it, the rest read from the cache.
    /// </summary>
    public static async Task ExportAsync(GitCacheRepository repository, string sha, IReadOnlyList<GitTreeEntry> entries, string directory,
        ExportedTree? previous, string subject, CancellationToken ct)
    {
        subject = $"{subject}: commit {sha}";
        CheckLayout(entries, subject);
        Directory.CreateDirectory(directory);
        var fresh = new List<GitTreeEntry>();
        var symlinks = new List<Symlink>();
        var created = new HashSet<string>(StringComparer.Ordinal) { directory };
        foreach (var entry in entries)
        {
            var path = Path.Combine(directory, entry.Path);
            var parent = Path.GetDirectoryName(path)!;
            if (created.Add(parent)) Directory.CreateDirectory(parent);
            if (previous?.TryLink(entry, path) != true && !TryWriteLoose(repository.GitDirectory, entry, path, symlinks, subject)) fresh.Add(entry);
        }
        if (fresh.Count > 0) await WriteBlobsAsync(repository, fresh, directory, symlinks, subject, ct);
        foreach (var (path, relative, target) in symlinks)
        {
            if (target.Length == 0 || target.Contains('\0')) throw Refused(subject, $"symlink '{relative}' has an empty or invalid target");
            File.CreateSymbolicLink(path, target);
        }
    }

    /// <summary>A symlink to create once every file is written.</summary>
    private sealed record Symlink(string Path, string Relative, string Target);

    // A blob the fetch wrote loose is copied from its file; false when it is packed (git reads it).
    private static bool TryWriteLoose(string gitDirectory, GitTreeEntry entry, string path, List<Symlink> symlinks, string subject)
    {
        try
        {
            using var loose = LooseObjects.TryOpen(gitDirectory, entry.ObjectId);
            if (loose is null) return false;
            if (loose.Type != "blob" || loose.Size != entry.Size) throw Damaged(subject, $"{loose.Type} {loose.Size}", entry);
            if (entry.Kind == GitTreeEntryKind.Symlink)
            {
                using var target = new MemoryStream();
                CopyExactly(loose.Content, target, entry.Size);
                symlinks.Add(new Symlink(path, entry.Path, Encoding.UTF8.GetString(target.ToArray())));
                return true;
            }
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = entry.Kind == GitTreeEntryKind.Executable ? Executable : Regular,
            });
            CopyExactly(loose.Content, file, entry.Size);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Damaged(subject, e.Message, entry);
        }
    }

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

    private static async Task WriteBlobsAsync(GitCacheRepository repository, List<GitTreeEntry> entries, string directory, List<Symlink> symlinks,
        string subject, CancellationToken ct)
    {
        await using var process = repository.StartBlobReader();
        var names = WriteNamesAsync(process.StandardInput, entries);
        try
        {
            using (ct.Register(process.Kill))
            {
                var reader = new GitBatchReader(process.StandardOutput);
                foreach (var entry in entries)
                {
                    var size = ExpectHeader(await reader.ReadHeaderAsync(CancellationToken.None), entry, subject);
                    var path = Path.Combine(directory, entry.Path);
                    if (entry.Kind == GitTreeEntryKind.Symlink)
                    {
                        using var target = new MemoryStream();
                        await reader.CopyObjectAsync(target, size, CancellationToken.None);
                        symlinks.Add(new Symlink(path, entry.Path, Encoding.UTF8.GetString(target.ToArray())));
                        continue;
                    }

                    var options = new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        Options = FileOptions.Asynchronous,
                        UnixCreateMode = entry.Kind == GitTreeEntryKind.Executable ? Executable : Regular,
                    };
                    await using var file = new FileStream(path, options);
                    await reader.CopyObjectAsync(file, size, CancellationToken.None);
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
