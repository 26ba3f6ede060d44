using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>Resolves a path given in a Bundle (relative, <c>/</c>-separated) inside a snapshot, refusing <c>..</c> and symlink escapes.</summary>
internal static class SnapshotPath
{
    /// <summary>The snapshot root, resolved.</summary>
    public static string Root(string repositoryRoot) => RealPath.Resolve(Path.GetFullPath(repositoryRoot)).Path;

    /// <summary>The resolved path inside the root, or why it is refused (it need not exist).</summary>
    public static (string? Path, ManifestError? Error) Resolve(string repositoryRoot, string relativePath)
    {
        var location = new SourceLocation(relativePath);
        var segments = relativePath.Split('/');
        if (relativePath.StartsWith('/') || segments.Contains(".."))
            return (null, new ManifestError(ManifestErrorCode.PathEscape, location, "the path must be relative to the repository root and must not contain '..'"));
        var root = Root(repositoryRoot);
        var (target, _) = RealPath.Resolve(Path.Join(root, string.Join('/', segments.Where(s => s is not ("" or ".")))));
        return RealPath.IsWithin(root, target) ? (target, null)
            : (null, new ManifestError(ManifestErrorCode.PathEscape, location, "the path leads outside the repository through a symlink"));
    }
}
