using Flotilla.Kube.KubeConfig;

namespace Flotilla.Kube.Tests.KubeConfig;

/// <summary>A temporary directory holding kubeconfig files and a state folder, deleted on dispose.</summary>
internal sealed class KubeconfigTestDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("flotilla-kubeconfig-");

    public string Root => _directory.FullName;

    public KubeconfigStatePaths StatePaths => KubeconfigStatePaths.FromEnvironment(_ => Path.Combine(Root, "state"), Root);

    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string Read(string name) => File.ReadAllText(Path.Combine(Root, name));

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Every file name in the directory tree, relative, sorted: shows leftovers such as temporary files.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path))
            .Order(StringComparer.Ordinal)
            .ToList();

    public Task<KubeconfigSet> LoadAsync(params string[] names) =>
        KubeconfigSet.LoadAsync(names.Select(PathOf), CancellationToken.None);

    public async Task<KubeContextSwitcher> SwitcherAsync(params string[] names) =>
        new(await LoadAsync(names), new KubeconfigStateStore(StatePaths));

    public void Dispose() => _directory.Delete(recursive: true);
}
