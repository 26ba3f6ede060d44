namespace Flotilla.Kube.KubeConfig;

/// <summary>Which kubeconfig files to load, by kubectl's rules.</summary>
public static class KubeconfigPaths
{
    /// <summary>
    /// The files named by a <c>KUBECONFIG</c> value (split on <see cref="Path.PathSeparator"/>, empty
    /// entries and repeats dropped, order kept), or <c>~/.kube/config</c> when the value is unset or empty.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string? kubeconfigVariable, string homeDirectory)
    {
        var paths = (kubeconfigVariable ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return paths.Count > 0 ? paths : [Path.Combine(homeDirectory, ".kube", "config")];
    }
}
