namespace Flotilla.Kube.KubeConfig;

/// <summary>Where <c>ctx -</c> and <c>ns -</c> remember what was there before.</summary>
/// <param name="PreviousContextFile">Holds the previous context name (plain text).</param>
/// <param name="PreviousNamespaceFile">Holds the previous namespace per context (JSON object).</param>
public sealed record KubeconfigStatePaths(string PreviousContextFile, string PreviousNamespaceFile)
{
    /// <summary>
    /// <c>$XDG_STATE_HOME/flotilla/kubectx</c> and <c>…/kubens</c>, with <c>~/.local/state</c> when
    /// <c>XDG_STATE_HOME</c> is unset or not absolute (the XDG base directory rule).
    /// </summary>
    public static KubeconfigStatePaths FromEnvironment(Func<string, string?> getEnvironmentVariable, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var stateHome = getEnvironmentVariable("XDG_STATE_HOME");
        var root = string.IsNullOrEmpty(stateHome) || !Path.IsPathRooted(stateHome)
            ? Path.Combine(homeDirectory, ".local", "state")
            : stateHome;
        var directory = Path.Combine(root, "flotilla");
        return new KubeconfigStatePaths(Path.Combine(directory, "kubectx"), Path.Combine(directory, "kubens"));
    }
}
