using System.Text;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// Replaces a file's content all at once: a temporary file in the same directory, flushed to disk,
/// given the original file's mode, then moved over the original. Readers see the old or the new
/// content, never a mix; a failure leaves the original untouched and no temporary file behind.
/// A symbolic link is followed: its final target is replaced and the link stays.
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>Mode for files that do not exist yet and for the temporary file until it is complete.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var link = new FileInfo(path);
        var target = Path.GetFullPath(
            link.LinkTarget is null ? path : link.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
        var directory = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"{path} has no parent directory", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        var mode = OwnerOnly;
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
            if (File.Exists(target))
            {
                mode = File.GetUnixFileMode(target);
            }
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(contents), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // Set after creation: the create mode is masked by the umask, the original's mode must not be.
                File.SetUnixFileMode(temporary, mode);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception original)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                throw new AggregateException(original, cleanup);
            }

            throw;
        }
    }
}
