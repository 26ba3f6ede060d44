using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>Reads <c>git ls-tree -r -t -l -z</c> output: <c>&lt;mode&gt; &lt;type&gt; &lt;object&gt; &lt;size&gt;\t&lt;path&gt;\0</c>.</summary>
internal static class GitTreeListing
{
    /// <summary>The longest path a snapshot holds (Linux's PATH_MAX): a deeper tree is refused, not walked.</summary>
    public const int MaxPathChars = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits the stream at NUL bytes. Paths that are not UTF-8 are reported as U+FFFD so the path check refuses them.</summary>
    public static async IAsyncEnumerable<string> ReadRecordsAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var record = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != 0) continue;
                record.Write(buffer, start, i - start);
                yield return Decode(record.GetBuffer().AsSpan(0, (int)record.Length));
                record.SetLength(0);
                start = i + 1;
            }

            record.Write(buffer, start, read - start);
        }
    }

    /// <summary>The entry of one record, or null for entries a snapshot does not hold (submodules).</summary>
    public static GitTreeEntry? Parse(string record)
    {
        var tab = record.IndexOf('\t');
        var fields = tab < 0 ? [] : record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 4) throw new FormatException($"unexpected ls-tree record '{record}'");
        var (mode, type, objectId, size) = (fields[0], fields[1], fields[2], fields[3]);
        if (type != "blob") return null;

        return new GitTreeEntry(record[(tab + 1)..], KindOf(mode), objectId, long.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>The path and id of a tree record (listed with <c>-t</c>), or null for any other record.</summary>
    public static (string Path, string ObjectId)? ParseTree(string record)
    {
        var tab = record.IndexOf('\t');
        var fields = tab < 0 ? [] : record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 4 && fields[1] == "tree" ? (record[(tab + 1)..], fields[2]) : null;
    }

    /// <summary>What a blob's tree mode makes of it (legacy modes such as 100664 are plain files).</summary>
    public static GitTreeEntryKind KindOf(string mode) => mode switch
    {
        "120000" => GitTreeEntryKind.Symlink,
        "100755" => GitTreeEntryKind.Executable,
        _ => GitTreeEntryKind.File,
    };

    /// <summary>Why a path may not be written below the snapshot root, or null when it may.</summary>
    public static string? UnsafePathReason(string path)
    {
        if (path.Length > MaxPathChars) return $"longer than {MaxPathChars} characters";
        if (path.Contains('\uFFFD')) return "not valid UTF-8";
        if (path.StartsWith('/')) return "absolute";
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == "." || part == "..") return $"'{path}' has an empty, '.' or '..' component";
            if (string.Equals(part, ".git", StringComparison.OrdinalIgnoreCase)) return $"'{path}' has a '.git' component";
        }

        return null;
    }

    /// <summary>A path or name as git stored it: UTF-8, or with U+FFFD where it is not, which the path check refuses.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
