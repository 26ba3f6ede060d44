namespace Flotilla.Kube.Credentials;

/// <summary>
/// Real-file readers for <see cref="KubeconfigCredentialValidator"/>: relative paths resolve against a
/// base directory (the kubeconfig's own folder, as kubectl does), and a file larger than the limit is
/// refused rather than read to the end (so <c>/dev/zero</c> cannot exhaust memory).
/// </summary>
public static class CredentialFileReader
{
    /// <summary>Default limit per file: 1 MiB, far above any certificate, key or token.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    public static Func<string, byte[]> Create(string baseDirectory, int maxBytes = DefaultMaxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return path => Read(Path.GetFullPath(path, Path.GetFullPath(baseDirectory)), maxBytes);
    }

    private static byte[] Read(string path, int maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total > maxBytes
            ? throw new IOException($"the file is larger than {maxBytes} bytes")
            : buffer[..total];
    }
}
