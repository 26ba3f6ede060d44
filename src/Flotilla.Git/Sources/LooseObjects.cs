using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// Reads objects stored loose in a repository (<c>objects/xx/yyyy…</c>, zlib over "&lt;type&gt; &lt;size&gt;\0" and the
/// bytes) in this process. A fetch of a few changed files writes its new objects loose (fewer than git's unpack limit),
/// so the commit's new trees and blobs are read without starting a git process between a push and its sync; an object
/// that is not loose (packed) is answered null, and the caller asks git.
/// </summary>
internal static class LooseObjects
{
    private const int MaxHeaderBytes = 32;

    /// <summary>One opened loose object: its type and size, and a stream at the first byte of its content.</summary>
    public sealed class LooseObject(string type, long size, Stream content) : IDisposable
    {
        public string Type => type;

        public long Size => size;

        public Stream Content => content;

        public void Dispose() => content.Dispose();
    }

    /// <summary>
    /// The loose object <paramref name="id"/>, or null when it is not stored loose. Throws <see cref="InvalidDataException"/>
    /// when the file is not a loose object (the caller names the source and the path).
    /// </summary>
    public static LooseObject? TryOpen(string gitDirectory, string id)
    {
        if (!GitRef.IsFullSha(id)) return null;
        // Asked first, without an exception: after a large push every object is packed, and thousands are asked for.
        var path = Path.Combine(gitDirectory, "objects", id[..2], id[2..]);
        if (!File.Exists(path)) return null;
        FileStream file;
        try { file = File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var inflated = new ZLibStream(file, CompressionMode.Decompress);
        try
        {
            Span<byte> header = stackalloc byte[MaxHeaderBytes];
            var length = 0;
            for (int b; (b = inflated.ReadByte()) != 0; length++)
            {
                if (b < 0 || length == MaxHeaderBytes) throw new InvalidDataException("no valid loose object header");
                header[length] = (byte)b;
            }
            var text = Encoding.ASCII.GetString(header[..length]);
            var space = text.IndexOf(' ');
            if (space <= 0 || !long.TryParse(text.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                throw new InvalidDataException("no valid loose object header");
            return new LooseObject(text[..space], size, inflated);
        }
        catch (InvalidDataException)
        {
            inflated.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The whole content of loose object <paramref name="id"/> of <paramref name="type"/>, or null when it is not loose
    /// or larger than <paramref name="maxBytes"/> (git reads those). Throws <see cref="InvalidDataException"/> when it is
    /// damaged or of another type.
    /// </summary>
    public static byte[]? TryRead(string gitDirectory, string id, string type, long maxBytes)
    {
        using var loose = TryOpen(gitDirectory, id);
        if (loose is null || loose.Size > maxBytes) return null;
        if (loose.Type != type) throw new InvalidDataException($"a {loose.Type}, not the {type} it was named as");
        var content = new byte[loose.Size];
        try { loose.Content.ReadExactly(content); }
        catch (EndOfStreamException) { throw new InvalidDataException("shorter than its header says"); }
        return content;
    }
}
