using System.Text.Json;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// The remembered previous context and previous namespaces (one per context, so <c>ns -</c> never
/// carries a namespace from one cluster to another). Missing files mean nothing is remembered.
/// Files are written atomically, new ones readable by the owner only.
/// </summary>
public sealed class KubeconfigStateStore(KubeconfigStatePaths paths)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public KubeconfigStatePaths Paths { get; } = paths ?? throw new ArgumentNullException(nameof(paths));

    public async Task<string?> GetPreviousContextAsync(CancellationToken cancellationToken)
    {
        var text = await ReadAsync(Paths.PreviousContextFile, cancellationToken);
        var name = text?.TrimEnd('\r', '\n');
        return string.IsNullOrEmpty(name) ? null : name;
    }

    public async Task SetPreviousContextAsync(string contextName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(contextName);
        await WriteAsync(Paths.PreviousContextFile, contextName + "\n", cancellationToken);
    }

    public async Task<string?> GetPreviousNamespaceAsync(string contextName, CancellationToken cancellationToken)
    {
        var namespaces = await ReadNamespacesAsync(cancellationToken);
        return namespaces.GetValueOrDefault(contextName);
    }

    public async Task SetPreviousNamespaceAsync(string contextName, string namespaceName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(contextName);
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        var namespaces = await ReadNamespacesAsync(cancellationToken);
        namespaces[contextName] = namespaceName;
        await WriteNamespacesAsync(namespaces, cancellationToken);
    }

    private Task WriteNamespacesAsync(SortedDictionary<string, string> namespaces, CancellationToken cancellationToken) =>
        WriteAsync(Paths.PreviousNamespaceFile, JsonSerializer.Serialize(namespaces, JsonOptions) + "\n", cancellationToken);

    /// <summary>Makes remembered state about <paramref name="oldName"/> follow its rename to <paramref name="newName"/>.</summary>
    public async Task RenameContextAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(newName);
        if (string.Equals(await GetPreviousContextAsync(cancellationToken), oldName, StringComparison.Ordinal))
        {
            await SetPreviousContextAsync(newName, cancellationToken);
        }

        var namespaces = await ReadNamespacesAsync(cancellationToken);
        if (namespaces.Remove(oldName, out var namespaceName))
        {
            namespaces[newName] = namespaceName;
            await WriteNamespacesAsync(namespaces, cancellationToken);
        }
    }

    private async Task<SortedDictionary<string, string>> ReadNamespacesAsync(CancellationToken cancellationToken)
    {
        var text = await ReadAsync(Paths.PreviousNamespaceFile, cancellationToken);
        var namespaces = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return namespaces;
        }

        try
        {
            foreach (var (context, namespaceName) in JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? [])
            {
                namespaces[context] = namespaceName;
            }
        }
        catch (JsonException e)
        {
            throw new KubeconfigException(
                KubeconfigErrorKind.InvalidFile, $"state file {Paths.PreviousNamespaceFile} is not valid: {e.Message}; delete it to start over", e);
        }

        return namespaces;
    }

    private static async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException(KubeconfigErrorKind.UnreadableFile, $"cannot read state file {path}: {e.Message}", e);
        }
    }

    private static async Task WriteAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await AtomicFileWriter.WriteAllTextAsync(path, contents, cancellationToken);
    }
}
