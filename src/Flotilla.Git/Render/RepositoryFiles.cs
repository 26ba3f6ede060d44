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
        if (!_budget.TryChargeFile())
        {
            return (null, new ManifestError(ManifestErrorCode.LimitExceeded, location, $"more than {limits.MaxFiles} files in this render"));
        }

        try
        {
            using var stream = new FileStream(realPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.Length > limits.MaxFileBytes)
            {
                return (null, new ManifestError(ManifestErrorCode.LimitExceeded, location, $"file is larger than {limits.MaxFileBytes} bytes ({stream.Length})"));
            }

            if (!_budget.TryChargeBytes(stream.Length))
            {
                return (null, new ManifestError(ManifestErrorCode.LimitExceeded, location, $"more than {limits.MaxTotalBytes} bytes in this render"));
            }

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

            return (StrictUtf8.GetString(buffer, 0, total), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new ManifestError(ManifestErrorCode.ReadFailed, location, "file is not valid UTF-8"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new ManifestError(ManifestErrorCode.ReadFailed, location, $"cannot read file: {e.Message}"));
        }
    }
}
