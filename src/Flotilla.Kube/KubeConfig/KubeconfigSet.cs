namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// The kubeconfig files named by <c>KUBECONFIG</c>, merged the way kubectl merges them, with the
/// kubectx/kubens edits. See README.md in this folder for the rules.
/// </summary>
/// <remarks>
/// Merge: missing files are skipped; the first file that sets current-context wins; the first file
/// that defines a context name wins. Edits go to the file that defines what they change; a new
/// current-context goes to the first file that has a current-context field, else the first file.
/// Each changed file is rewritten atomically; unknown fields survive, comments do not. A file that
/// fails to parse fails the load, so it is never written. An edit that changes nothing writes nothing.
/// </remarks>
public sealed class KubeconfigSet
{
    private const string DefaultNamespace = "default";

    private readonly IReadOnlyList<LoadedFile> _files;

    private KubeconfigSet(IReadOnlyList<string> searchPaths, IReadOnlyList<LoadedFile> files)
    {
        SearchPaths = searchPaths;
        _files = files;
    }

    /// <summary>Every file considered, in order, including missing ones.</summary>
    public IReadOnlyList<string> SearchPaths { get; }

    /// <summary>The files that exist and were loaded, in order.</summary>
    public IReadOnlyList<string> LoadedPaths => _files.Select(file => file.Path).ToList();

    /// <summary>The merged current-context, or null when no file sets one.</summary>
    public string? CurrentContext =>
        _files.Select(file => file.Document.CurrentContext).FirstOrDefault(name => name is not null);

    /// <summary>All contexts, ordered by name (ordinal), the current one flagged.</summary>
    public IReadOnlyList<KubeconfigContext> Contexts
    {
        get
        {
            var current = CurrentContext;
            return Definitions()
                .Select(pair => new KubeconfigContext(
                    pair.Key,
                    string.Equals(pair.Key, current, StringComparison.Ordinal),
                    NamespaceOf(pair.Value.Entry),
                    pair.Value.File.Path))
                .OrderBy(context => context.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Loads the files named by a <c>KUBECONFIG</c> value (see <see cref="KubeconfigPaths.Resolve"/>).</summary>
    public static Task<KubeconfigSet> LoadFromEnvironmentAsync(
        string? kubeconfigVariable, string homeDirectory, CancellationToken cancellationToken) =>
        LoadAsync(KubeconfigPaths.Resolve(kubeconfigVariable, homeDirectory), cancellationToken);

    /// <summary>
    /// Loads <paramref name="paths"/> in order, skipping missing files. Throws <see cref="KubeconfigException"/>
    /// (<see cref="KubeconfigErrorKind.InvalidFile"/> or <see cref="KubeconfigErrorKind.UnreadableFile"/>)
    /// naming the first file that cannot be used.
    /// </summary>
    public static async Task<KubeconfigSet> LoadAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var searchPaths = paths.Distinct(StringComparer.Ordinal).ToList();
        var files = new List<LoadedFile>();
        foreach (var path in searchPaths)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubeconfigException(KubeconfigErrorKind.UnreadableFile, $"cannot read kubeconfig {path}: {e.Message}", e);
            }

            try
            {
                files.Add(new LoadedFile(path, KubeconfigDocument.Parse(text, allowAliases: true)));
            }
            catch (KubeconfigFormatException e)
            {
                throw new KubeconfigException(
                    KubeconfigErrorKind.InvalidFile, $"kubeconfig {path} is not valid: {e.Message}; it was left untouched", e);
            }
        }

        return new KubeconfigSet(searchPaths, files);
    }

    public bool ContainsContext(string name) => Find(name) is not null;

    /// <summary>
    /// The namespace of the current context, "default" when it sets none. Throws
    /// <see cref="KubeconfigException"/> when there is no current context or it is not defined.
    /// </summary>
    public string GetCurrentNamespace() => NamespaceOf(RequireCurrent().Entry) ?? DefaultNamespace;

    /// <summary>Makes <paramref name="name"/> the current context. Returns false when it already was (nothing written).</summary>
    public async Task<bool> UseContextAsync(string name, CancellationToken cancellationToken)
    {
        _ = Require(name);
        if (string.Equals(CurrentContext, name, StringComparison.Ordinal))
        {
            return false;
        }

        // Any file at or before the one that sets current-context today takes precedence over it.
        var target = _files.FirstOrDefault(file => file.Document.HasCurrentContextField) ?? _files[0];
        target.Document.SetCurrentContext(name);
        await WriteAsync([target], cancellationToken);
        return true;
    }

    /// <summary>
    /// Clears current-context in every file that sets one, so the merged view has none.
    /// Returns false when none was set (nothing written).
    /// </summary>
    public async Task<bool> UnsetCurrentContextAsync(CancellationToken cancellationToken)
    {
        var changed = _files.Where(file => file.Document.CurrentContext is not null).ToList();
        foreach (var file in changed)
        {
            file.Document.SetCurrentContext(null);
        }

        await WriteAsync(changed, cancellationToken);
        return changed.Count > 0;
    }

    /// <summary>
    /// Renames <paramref name="oldName"/> to <paramref name="newName"/> in the file that defines it and
    /// repoints every file whose current-context is the old name. Fails when the new name exists.
    /// </summary>
    public async Task RenameContextAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(newName))
        {
            throw new KubeconfigException(KubeconfigErrorKind.InvalidName, "the new context name is empty");
        }

        var definition = Find(oldName) ?? throw new KubeconfigException(
            KubeconfigErrorKind.UnknownContext, $"context {QuotedName.Of(oldName)} not found, can't rename it");
        if (ContainsContext(newName))
        {
            throw new KubeconfigException(
                KubeconfigErrorKind.ContextExists, $"context {QuotedName.Of(newName)} already exists, can't rename {QuotedName.Of(oldName)} to it");
        }

        KubeconfigDocument.Rename(definition.Entry, newName);
        var changed = new List<LoadedFile> { definition.File };
        foreach (var file in _files.Where(file => string.Equals(file.Document.CurrentContext, oldName, StringComparison.Ordinal)))
        {
            file.Document.SetCurrentContext(newName);
            changed.Add(file);
        }

        await WriteAsync(changed, cancellationToken);
    }

    /// <summary>
    /// Deletes <paramref name="name"/> from the file that defines it. When it was the current context,
    /// current-context is cleared in every file that points at it. Returns true when it was current.
    /// </summary>
    public async Task<bool> DeleteContextAsync(string name, CancellationToken cancellationToken)
    {
        var definition = Require(name);
        var wasCurrent = string.Equals(CurrentContext, name, StringComparison.Ordinal);
        definition.File.Document.RemoveContext(name);
        var changed = new List<LoadedFile> { definition.File };
        foreach (var file in _files.Where(file => string.Equals(file.Document.CurrentContext, name, StringComparison.Ordinal)))
        {
            file.Document.SetCurrentContext(null);
            changed.Add(file);
        }

        await WriteAsync(changed, cancellationToken);
        return wasCurrent;
    }

    /// <summary>
    /// Sets the namespace of the current context in the file that defines it. Returns false when it
    /// already was that namespace, counting an unset one as "default" (nothing written).
    /// </summary>
    public async Task<bool> SetNamespaceAsync(string namespaceName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        var current = RequireCurrent();
        if (string.Equals(NamespaceOf(current.Entry) ?? DefaultNamespace, namespaceName, StringComparison.Ordinal))
        {
            return false;
        }

        var body = KubeconfigDocument.EnsureBody(current.Entry, "context");
        KubeconfigYaml.Set(body, "namespace", KubeconfigYaml.Scalar(namespaceName));
        await WriteAsync([current.File], cancellationToken);
        return true;
    }

    private Definition RequireCurrent()
    {
        var current = CurrentContext
            ?? throw new KubeconfigException(KubeconfigErrorKind.NoCurrentContext, "current-context is not set");
        return Find(current) ?? throw new KubeconfigException(
            KubeconfigErrorKind.UnknownContext, $"current-context {QuotedName.Of(current)} is not defined in any kubeconfig file");
    }

    private Definition Require(string name) =>
        Find(name) ?? throw new KubeconfigException(
            KubeconfigErrorKind.UnknownContext, $"no context exists with the name: {QuotedName.Of(name)}");

    private Definition? Find(string name)
    {
        foreach (var file in _files)
        {
            if (file.Document.FindContext(name) is { } entry)
            {
                return new Definition(file, entry);
            }
        }

        return null;
    }

    private Dictionary<string, Definition> Definitions()
    {
        var definitions = new Dictionary<string, Definition>(StringComparer.Ordinal);
        foreach (var file in _files)
        {
            foreach (var entry in file.Document.Contexts)
            {
                definitions.TryAdd(entry.Name, new Definition(file, entry));
            }
        }

        return definitions;
    }

    private static string? NamespaceOf(KubeconfigEntry context)
    {
        var value = context.Body is null ? null : KubeconfigYaml.GetString(context.Body, "namespace");
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static async Task WriteAsync(IEnumerable<LoadedFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files.Distinct())
        {
            await AtomicFileWriter.WriteAllTextAsync(file.Path, file.Document.Write(), cancellationToken);
        }
    }

    private sealed record LoadedFile(string Path, KubeconfigDocument Document);

    private sealed record Definition(LoadedFile File, KubeconfigEntry Entry);
}
