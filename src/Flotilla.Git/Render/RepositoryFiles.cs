using System.Text;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>Reads files of one render: charged to its budget, size-capped before reading, strict UTF-8.</summary>
internal sealed class RepositoryFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly RenderBudget _budget;

    public RepositoryFiles(string root, RenderBudget budget)
    {
        Root = root;
        _budget = budget;
    }

    /// <summary>The resolved repository root.</summary>
    public string Root { get; }

    /// <summary>A resolved path as shown to people: relative to the root, <c>/</c>-separated.</summary>
    public string Display(string path) => RealPath.Relative(Root, path);

    // Synchronous: the files are local (a snapshot), and an asynchronous read of a small file on Linux is a thread-pool
    // hop per read, which made reading a 300-file commit cost more than parsing the few files it changed.
    public (string? Text, ManifestError? Error) Read(string realPath, string display)
    {
        var limits = _budget.Limits;
        var location = new SourceLocation(display);
        if (ChargeFile(location) is { } over) return (null, over);
        try
        {
            using var stream = new FileStream(realPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (ChargeBytes(stream.Length, location) is { } tooLarge) return (null, tooLarge);

            // Read at most one byte past the cap, in case the file grew after its length was taken.
            var buffer = new byte[Math.Min(stream.Length, limits.MaxFileBytes) + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer.AsSpan(total))) > 0)
            {
                total += read;
            }

            if (total > limits.MaxFileBytes)
            {
                return (null, new ManifestError(ManifestErrorCode.LimitExceeded, location, $"file is larger than {limits.MaxFileBytes} bytes"));
            }

            return Text(buffer.AsSpan(0, total), location);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new ManifestError(ManifestErrorCode.ReadFailed, location, $"cannot read file: {e.Message}"));
        }
    }

    /// <summary>A file's bytes already in hand (see <see cref="Flotilla.Git.Sources.SnapshotListing"/>), checked and charged as <see cref="Read"/> does.</summary>
    public (string? Text, ManifestError? Error) Decode(byte[] content, string display)
    {
        var location = new SourceLocation(display);
        return (ChargeFile(location) ?? ChargeBytes(content.Length, location)) is { } error ? (null, error) : Text(content, location);
    }

    private ManifestError? ChargeFile(SourceLocation location) => _budget.TryChargeFile() ? null
        : new ManifestError(ManifestErrorCode.LimitExceeded, location, $"more than {_budget.Limits.MaxFiles} files in this render");

    private ManifestError? ChargeBytes(long length, SourceLocation location) =>
        length > _budget.Limits.MaxFileBytes
            ? new ManifestError(ManifestErrorCode.LimitExceeded, location, $"file is larger than {_budget.Limits.MaxFileBytes} bytes ({length})")
        : !_budget.TryChargeBytes(length)
            ? new ManifestError(ManifestErrorCode.LimitExceeded, location, $"more than {_budget.Limits.MaxTotalBytes} bytes in this render")
        : null;

    private static (string? Text, ManifestError? Error) Text(ReadOnlySpan<byte> bytes, SourceLocation location)
    {
        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new ManifestError(ManifestErrorCode.ReadFailed, location, "file is not valid UTF-8"));
        }
    }
}
