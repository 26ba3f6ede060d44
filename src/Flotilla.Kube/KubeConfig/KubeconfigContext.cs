namespace Flotilla.Kube.KubeConfig;

/// <summary>One context of a merged <see cref="KubeconfigSet"/>.</summary>
/// <param name="Name">The context name.</param>
/// <param name="IsCurrent">True for the merged current-context.</param>
/// <param name="Namespace">The context's namespace field, or null when it has none (kubectl then uses "default").</param>
/// <param name="FilePath">The file that defines it: the first one in the search order.</param>
public sealed record KubeconfigContext(string Name, bool IsCurrent, string? Namespace, string FilePath);
