namespace Flotilla.Git.Render;

/// <summary>The file names kustomize accepts for a kustomization, in its order of preference.</summary>
internal static class KustomizationFiles
{
    public static readonly string[] Names = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>The kustomization file names present in <paramref name="directory"/> (following symlinks).</summary>
    public static string[] In(string directory) =>
        Names.Where(name => File.Exists(Path.Join(directory, name))).ToArray();
}
